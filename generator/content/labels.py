"""Chinese labels of content values: one source for pages, the diff and messages.

Applicant-field values take their labels from the applicant schema's ``x-enum-labels``; notice
fields (phases, policy kinds, sections…) from the tables below.
"""

from __future__ import annotations

from generator.content.bundle import load_applicant_schema


def _enum_labels(field: str) -> dict[str, str]:
    """Chinese labels of an applicant field's values: one source, the schema's ``x-enum-labels``."""
    return dict(load_applicant_schema()["properties"][field].get("x-enum-labels", {}))


LEVELS = _enum_labels("target_level")
KINDS = _enum_labels("application_type")
EMPLOYER_TYPES = _enum_labels("employer_type")
PHASES = {
    "preparation": "准备",
    "application": "网上申报",
    "unit_review": "单位审核推荐",
    "review": "材料审核",
    "paper_submission": "报送纸质材料",
    "payment": "缴费",
    "defense": "答辩",
    "committee": "评审会",
    "publicity": "结果公示",
    "results": "结果发布",
    "filing": "备案",
    "other": "其他",
}
POLICY_KINDS = {
    "exemption": "免除",
    "early_application": "提前申报",
    "equivalence": "视同",
    "direct_application": "直接申报",
    "cross_region": "跨地区",
    "continuity": "年限连续计算",
    "relaxation": "放宽条件",
    "integrity": "诚信",
    "other": "其他",
}
MASKING = {"required": "需要遮盖", "not_required": "无需遮盖", "as_rules": "按遮盖要求"}
SEVERITY = {"blocker": "必须满足", "warning": "提醒", "info": "说明"}
ISSUER_LEVELS = {
    "autonomous_region": "自治区",
    "prefecture": "地州市",
    "county": "县市区",
    "development_zone": "开发区（园区）",
}
# What a page says for a section the notice is silent on (``silent_on``) — never said of a section
# that is simply not entered yet.
SECTIONS = {
    "fees": "费用",
    "masking": "遮盖（盲评）要求",
    "submission": "提交次数与退回补正",
    "attachments": "附件",
    "policies": "有关政策",
    "oversight": "监督与诚信",
    "exclusions": "不得申报的情形",
    "criteria": "评审条件",
    "application_steps": "申报步骤",
    "material_rules": "材料通用要求",
    "basis": "依据文件",
}

SECTION_LABELS = {
    "id": "标识",
    "title": "通知标题",
    "short_title": "简称",
    "issuer": "发文单位",
    "issued_on": "发文日期",
    "addressees": "主送",
    "summary": "概述",
    "region": "地区",
    "reference_date": "资格计算基准日",
    "timeline": "时间安排",
    "contacts": "联系方式",
    "platforms": "申报平台",
    "scope": "申报范围",
    "materials": "材料清单",
    "parameters": "资格规则参数",
    "clauses": "条款编号",
    "attachments": "附件",
    "fees": "费用",
    "submission": "提交与退回",
    "masking": "遮盖要求",
    "application_steps": "申报步骤",
    "eligibility": "可以申报的人员",
    "exclusions": "不得申报的人员",
    "policies": "有关政策",
    "criteria": "评审条件",
    "oversight": "监督与诚信",
    "basis": "依据文件",
    "source": "原文",
    "kinds": "工作类型",
    "material_rules": "材料通用要求",
    "rules": "资格规则",
}
PARAMETER_LABELS = {
    "continuing_education": "继续教育",
    "village_exemption": "驻村免继续教育",
    "publicity": "单位公示期",
    "work_summary": "工作总结字数",
    "dispatched": "派驻人员",
    "misconduct_ban": "弄虚作假限制期",
    "education_table": "学历年限表",
    "qualification_equivalence": "职业资格视同",
}


def field_label(field: str) -> str:
    """A Chinese name for an ``inferred`` field path, e.g. ``timeline.2.start`` → 时间安排第3项."""
    parts = normal_path(field).split(".")
    label = SECTION_LABELS.get(parts[0], parts[0])
    if parts[0] == "parameters" and len(parts) > 1:
        return f"{label}（{PARAMETER_LABELS.get(parts[1], parts[1])}）"
    for part in parts[1:]:
        if part.isdigit():
            label += f"第{int(part) + 1}项"
            break
    return label


def normal_path(field: str) -> str:
    return field.replace("[", ".").replace("]", "")

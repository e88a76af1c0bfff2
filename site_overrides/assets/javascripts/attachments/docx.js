/* Filled Word files in the browser, from this site's blank template (templates/<id>.docx, written
   by generator/attachments/docx_render.py where every blank is ONE run with the character style
   zcBlank_<name>). Zip reading and writing: fflate (pinned in package.json, self-hosted);
   word/document.xml is edited as an XML DOM (DOMParser / XMLSerializer), so any text in a cell
   — markup, quotes, ampersands — is only ever text. */

import { strFromU8, strToU8, unzipSync, zipSync } from "../../vendor/fflate/browser.js";
import { el } from "../lib/dom.js";

const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const XML = "http://www.w3.org/XML/1998/namespace";
const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

function parse(xml) {
  const doc = new DOMParser().parseFromString(xml, "application/xml");
  if (doc.getElementsByTagName("parsererror").length) throw new Error("模板文件中的 word/document.xml 无法解析");
  return doc;
}

function serialize(doc) {
  const xml = new XMLSerializer().serializeToString(doc);
  return xml.startsWith("<?xml") ? xml : DECLARATION + xml;
}

function setRunText(doc, run, value) {
  for (const child of Array.from(run.childNodes)) {
    if (!(child.namespaceURI === W && child.localName === "rPr")) run.removeChild(child);
  }
  value.split("\n").forEach((line, i) => {
    if (i) run.appendChild(doc.createElementNS(W, "w:br"));
    line.split("\t").forEach((part, j) => {
      if (j) run.appendChild(doc.createElementNS(W, "w:tab"));
      if (!part) return;
      const t = doc.createElementNS(W, "w:t");
      t.setAttributeNS(XML, "xml:space", "preserve");
      t.textContent = part;
      run.appendChild(t);
    });
  });
}

/** Fills a parsed document.xml: the text of every run styled zcBlank_<name> becomes values[name]. */
export function fillDocument(doc, values) {
  for (const style of Array.from(doc.getElementsByTagNameNS(W, "rStyle"))) {
    const id = style.getAttributeNS(W, "val") || "";
    if (!id.startsWith("zcBlank_")) continue;
    const name = id.slice("zcBlank_".length);
    if (!Object.prototype.hasOwnProperty.call(values, name)) continue;
    const rPr = style.parentNode;
    const run = rPr && rPr.parentNode;
    if (run && run.namespaceURI === W && run.localName === "r") setRunText(doc, run, values[name]);
  }
  return doc;
}

/** The blank template, unzipped once: {entries, xml}. */
export async function loadTemplate(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error("无法读取空白模板（" + response.status + "）");
  const entries = unzipSync(new Uint8Array(await response.arrayBuffer()));
  if (!entries["word/document.xml"]) throw new Error("模板文件中没有 word/document.xml");
  return { entries, xml: strFromU8(entries["word/document.xml"]) };
}

function pack(template, doc) {
  const xml = serialize(doc);
  // The filled document.xml must still be well-formed XML, or nothing is downloaded.
  if (new DOMParser().parseFromString(xml, "application/xml").getElementsByTagName("parsererror").length) {
    throw new Error("填写的内容使 Word 文件无效（含有无法保存的字符），请检查后重试。");
  }
  const files = {};
  for (const [name, data] of Object.entries(template.entries)) {
    files[name] = name === "word/document.xml" ? strToU8(xml) : data;
  }
  return zipSync(files, { level: 6, mtime: new Date(1980, 0, 1) });
}

/** One filled .docx (Uint8Array). */
export function buildDocx(template, values) {
  return pack(template, fillDocument(parse(template.xml), values));
}

/** One .docx with a section (starting on a new page) per set of values. */
export function buildMerged(template, valueList) {
  const first = fillDocument(parse(template.xml), valueList[0]);
  const body = first.getElementsByTagNameNS(W, "body")[0];
  const finalSect = Array.from(body.childNodes).filter((n) => n.localName === "sectPr" && n.namespaceURI === W).pop();
  for (const values of valueList.slice(1)) {
    const p = first.createElementNS(W, "w:p");
    const pPr = first.createElementNS(W, "w:pPr");
    pPr.appendChild(finalSect.cloneNode(true));
    p.appendChild(pPr);
    body.insertBefore(p, finalSect);
    const doc = fillDocument(parse(template.xml), values);
    const other = doc.getElementsByTagNameNS(W, "body")[0];
    for (const child of Array.from(other.childNodes)) {
      if (child.nodeType !== 1 || (child.localName === "sectPr" && child.namespaceURI === W)) continue;
      body.insertBefore(first.importNode(child, true), finalSect);
    }
  }
  return pack(template, first);
}

/** A .zip of already-compressed files ({name: Uint8Array}), stored as is. */
export function zipFiles(files) {
  return zipSync(files, { level: 0, mtime: new Date(1980, 0, 1) });
}

export function save(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = el("a", { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

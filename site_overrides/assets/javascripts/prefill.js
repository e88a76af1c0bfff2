/* 模板页的在线填写：所填内容实时显示在文档预览中，并在浏览器内生成已填写的 Word 文件。
   不依赖任何外部库、不发送任何数据：下载本站的空白 .docx，解压 word/document.xml
   （DecompressionStream 'deflate-raw'），替换每个空白所在的文字块（字符样式 zcBlank_<名称>），
   再以“存储”方式（附 CRC32）重新打包。公示结束日期按法定节假日与调休（templates/workdays.json）建议。 */
(function () {
  "use strict";

  var cfgNode = document.getElementById("zc-template-data");
  var form = document.getElementById("zc-prefill");
  if (!cfgNode || !form) return;
  var cfg = JSON.parse(cfgNode.textContent);
  var status = document.getElementById("zc-prefill-status");
  var download = document.getElementById("zc-download");
  var calendar = null; // {years: {...}} once loaded
  var calendarError = null;

  // ------------------------------------------------------------------ values and preview

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function iso(d) { return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()); }
  function parseIso(v) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v || "");
    return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
  }
  function dateCn(v) {
    var d = parseIso(v);
    return d ? d.getUTCFullYear() + "年" + (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日" : v;
  }
  function todayBeijing() {
    var d = new Date(Date.now() + 8 * 3600000);
    return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())));
  }

  function control(name) { return form.querySelector('[data-blank="' + name + '"]'); }

  /** Removes characters XML 1.0 (and so Word) cannot hold, and text-reordering controls:
   *  typed or pasted into a blank they would make a corrupt .docx. Tab and newline stay. */
  function cleanText(v) {
    return v.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g, "")
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g, "$1");
  }

  /** The filled document.xml must still be well-formed XML, or nothing is downloaded. */
  function checkXml(xml) {
    var parsed = new DOMParser().parseFromString(xml, "application/xml");
    if (parsed.getElementsByTagName("parsererror").length) {
      throw new Error("填写的内容使 Word 文件无效（含有无法保存的字符），请检查后重试。");
    }
    return xml;
  }

  /** Text that goes into the document for each filled blank (dates as 2025年3月3日). */
  function values() {
    var out = {};
    Object.keys(cfg.blanks).forEach(function (name) {
      var el = control(name);
      if (!el) return;
      var v = cleanText((el.value || "").replace(/\r\n/g, "\n")).trim();
      if (!v) return;
      out[name] = cfg.blanks[name].kind === "date" ? dateCn(v) : v;
    });
    return out;
  }

  function preview() {
    var vals = values();
    document.querySelectorAll("#zc-doc .zc-blank").forEach(function (span) {
      var name = span.getAttribute("data-blank");
      var filled = Object.prototype.hasOwnProperty.call(vals, name);
      span.textContent = filled ? vals[name] : span.getAttribute("data-placeholder");
      span.classList.toggle("zc-blank--filled", filled);
    });
    download.disabled = false;
  }

  // ------------------------------------------------------------------ working days

  function isWorkday(d) {
    var year = calendar && calendar.years[String(d.getUTCFullYear())];
    if (!year) return null;
    var key = iso(d);
    if (year.workdays.indexOf(key) >= 0) return true;
    if (year.holidays.indexOf(key) >= 0) return false;
    var wd = d.getUTCDay();
    return wd !== 0 && wd !== 6;
  }

  /** The n-th working day counted from start inclusive, or {missing: year}. */
  function nthWorkday(start, n) {
    var d = new Date(start.getTime());
    var seen = 0;
    for (var i = 0; i < 400; i++) {
      var w = isWorkday(d);
      if (w === null) return { missing: d.getUTCFullYear() };
      if (w && ++seen === n) return { date: d };
      d = new Date(d.getTime() + 86400000);
    }
    return { missing: d.getUTCFullYear() };
  }

  function countWorkdays(start, end) {
    var total = 0;
    for (var d = new Date(start.getTime()); d <= end; d = new Date(d.getTime() + 86400000)) {
      var w = isWorkday(d);
      if (w === null) return { missing: d.getUTCFullYear() };
      if (w) total++;
    }
    return { count: total };
  }

  function loadCalendar() {
    if (calendar || calendarError) return Promise.resolve();
    return fetch(cfg.workdays, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { calendar = data; })
      .catch(function () { calendarError = "无法读取节假日数据，请自行按法定节假日计算工作日。"; });
  }

  function setAuto(name, value) {
    var el = control(name);
    if (!el) return;
    if (!el.value || el.getAttribute("data-auto") === el.value) {
      el.value = value;
      el.setAttribute("data-auto", value);
    }
  }

  function suggestions() {
    var startV = control("publicity_start") && control("publicity_start").value;
    var endEl = control("publicity_end");
    form.querySelectorAll(".zc-suggest").forEach(function (node) {
      var kind = node.getAttribute("data-suggest");
      var target = node.getAttribute("data-for");
      node.textContent = "";
      if (kind === "today") {
        node.innerHTML = "";
        var b = document.createElement("button");
        b.type = "button";
        b.className = "zc-linkbutton";
        b.textContent = "填入今天（" + dateCn(todayBeijing()) + "）";
        b.addEventListener("click", function () { control(target).value = todayBeijing(); update(); });
        node.appendChild(b);
        return;
      }
      var start = parseIso(startV);
      if (!start) {
        if (kind === "publicity_end") node.textContent = "先填写公示开始日期，即可按工作日建议结束日期。";
        return;
      }
      if (calendarError) { node.textContent = calendarError; return; }
      if (!calendar) { node.textContent = "正在读取节假日数据……"; return; }
      if (kind === "publicity_end") {
        var n = cfg.publicity_min_workdays;
        if (!n) { node.textContent = ""; return; }
        var r = nthWorkday(start, n);
        if (r.missing) {
          node.textContent = "本站没有 " + r.missing + " 年的法定节假日安排，无法计算工作日，请按国务院办公厅公布的安排自行计算。";
          return;
        }
        var v = iso(r.date);
        setAuto(target, v);
        node.textContent = "建议：从开始日起第 " + n + " 个工作日是 " + dateCn(v) +
          "（已按法定节假日和调休计算），公示期不少于 " + n + " 个工作日。";
        node.setAttribute("data-value", v);
        if (endEl && endEl.value && endEl.value < v) {
          node.textContent += " 当前结束日期不足 " + n + " 个工作日。";
          node.classList.add("zc-suggest--warn");
        } else {
          node.classList.remove("zc-suggest--warn");
        }
      } else if (kind === "publicity_days") {
        var end = parseIso(endEl && endEl.value);
        if (!end || end < start) { node.textContent = ""; return; }
        var c = countWorkdays(start, end);
        if (c.missing) {
          node.textContent = "本站没有 " + c.missing + " 年的法定节假日安排，无法计算工作日。";
          return;
        }
        setAuto(target, String(c.count));
        node.textContent = "公示起止日期之间共 " + c.count + " 个工作日。";
        node.setAttribute("data-value", String(c.count));
      }
    });
  }

  function update() {
    suggestions();
    preview();
  }

  // ------------------------------------------------------------------ zip (read + write)

  var CRC_TABLE = (function () {
    var t = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    return t;
  })();

  function crc32(bytes) {
    var c = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  function readZip(buf) {
    var view = new DataView(buf);
    var bytes = new Uint8Array(buf);
    var eocd = -1;
    for (var i = buf.byteLength - 22; i >= Math.max(0, buf.byteLength - 65557); i--) {
      if (view.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
    }
    if (eocd < 0) throw new Error("不是有效的 Word 文件（找不到 zip 目录）");
    var count = view.getUint16(eocd + 10, true);
    var offset = view.getUint32(eocd + 16, true);
    var entries = [];
    for (var e = 0; e < count; e++) {
      if (view.getUint32(offset, true) !== 0x02014b50) throw new Error("zip 目录损坏");
      var nameLen = view.getUint16(offset + 28, true);
      var extraLen = view.getUint16(offset + 30, true);
      var commentLen = view.getUint16(offset + 32, true);
      var entry = {
        flags: view.getUint16(offset + 8, true),
        method: view.getUint16(offset + 10, true),
        time: view.getUint16(offset + 12, true),
        date: view.getUint16(offset + 14, true),
        crc: view.getUint32(offset + 16, true),
        csize: view.getUint32(offset + 20, true),
        usize: view.getUint32(offset + 24, true),
        nameBytes: bytes.slice(offset + 46, offset + 46 + nameLen),
        local: view.getUint32(offset + 42, true)
      };
      entry.name = new TextDecoder().decode(entry.nameBytes);
      var lh = entry.local;
      var dataStart = lh + 30 + view.getUint16(lh + 26, true) + view.getUint16(lh + 28, true);
      entry.data = bytes.slice(dataStart, dataStart + entry.csize);
      entries.push(entry);
      offset += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  }

  function inflate(entry) {
    if (entry.method === 0) return Promise.resolve(entry.data);
    if (entry.method !== 8) return Promise.reject(new Error("不支持的压缩方式 " + entry.method));
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("此浏览器不支持解压（DecompressionStream），请更新浏览器，或下载空白模板手工填写。"));
    }
    var stream = new Blob([entry.data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }

  function writeZip(entries) {
    var chunks = [];
    var central = [];
    var offset = 0;
    entries.forEach(function (e) {
      var local = new DataView(new ArrayBuffer(30));
      local.setUint32(0, 0x04034b50, true);
      local.setUint16(4, 20, true);
      local.setUint16(6, e.flags & ~0x0008, true);
      local.setUint16(8, e.method, true);
      local.setUint16(10, e.time, true);
      local.setUint16(12, e.date, true);
      local.setUint32(14, e.crc, true);
      local.setUint32(18, e.data.length, true);
      local.setUint32(22, e.usize, true);
      local.setUint16(26, e.nameBytes.length, true);
      local.setUint16(28, 0, true);
      chunks.push(new Uint8Array(local.buffer), e.nameBytes, e.data);
      var cd = new DataView(new ArrayBuffer(46));
      cd.setUint32(0, 0x02014b50, true);
      cd.setUint16(4, 20, true);
      cd.setUint16(6, 20, true);
      cd.setUint16(8, e.flags & ~0x0008, true);
      cd.setUint16(10, e.method, true);
      cd.setUint16(12, e.time, true);
      cd.setUint16(14, e.date, true);
      cd.setUint32(16, e.crc, true);
      cd.setUint32(20, e.data.length, true);
      cd.setUint32(24, e.usize, true);
      cd.setUint16(28, e.nameBytes.length, true);
      cd.setUint32(42, offset, true);
      central.push(new Uint8Array(cd.buffer), e.nameBytes);
      offset += 30 + e.nameBytes.length + e.data.length;
    });
    var cdSize = central.reduce(function (s, c) { return s + c.length; }, 0);
    var end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, 0x06054b50, true);
    end.setUint16(8, entries.length, true);
    end.setUint16(10, entries.length, true);
    end.setUint32(12, cdSize, true);
    end.setUint32(16, offset, true);
    return new Blob(chunks.concat(central, [new Uint8Array(end.buffer)]), {
      type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    });
  }

  // ------------------------------------------------------------------ filling document.xml

  function escapeXml(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function runContent(value) {
    return value.split("\n").map(function (line) {
      return '<w:t xml:space="preserve">' + escapeXml(line) + "</w:t>";
    }).join("<w:br/>");
  }

  /** Replaces the text of every run styled zcBlank_<name> (one run per blank occurrence). */
  function fillXml(xml, vals) {
    Object.keys(vals).forEach(function (name) {
      if (!/^[a-z][a-z0-9_]*$/.test(name)) return;
      var re = new RegExp(
        '(<w:r(?: [^>]*)?>(?:(?!</w:r>)[\\s\\S])*?<w:rStyle w:val="zcBlank_' + name +
        '"/>(?:(?!</w:r>)[\\s\\S])*?</w:rPr>)(?:(?!</w:r>)[\\s\\S])*?(</w:r>)', "g");
      var content = runContent(vals[name]);
      xml = xml.replace(re, function (_m, head, tail) { return head + content + tail; });
    });
    return xml;
  }

  function fileName() {
    var vals = values();
    var who = vals.applicant_name || vals.unit_name || "";
    var base = cfg.title.replace(/（模板）|\(模板\)/g, "").replace(/[\\/:*?"<>|\s]+/g, "");
    return base + (who ? "-" + who.replace(/[\\/:*?"<>|\s]+/g, "") : "") + ".docx";
  }

  function buildDocx() {
    var vals = values();
    return fetch(cfg.docx, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("无法读取空白模板（" + r.status + "）");
        return r.arrayBuffer();
      })
      .then(function (buf) {
        var entries = readZip(buf);
        var doc = entries.filter(function (e) { return e.name === "word/document.xml"; })[0];
        if (!doc) throw new Error("模板文件中没有 word/document.xml");
        return inflate(doc).then(function (raw) {
          var xml = checkXml(fillXml(new TextDecoder().decode(raw), vals));
          var out = new TextEncoder().encode(xml);
          doc.data = out;
          doc.method = 0;
          doc.crc = crc32(out);
          doc.usize = out.length;
          return writeZip(entries);
        });
      });
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // ------------------------------------------------------------------ wiring

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("reset", function () {
    setTimeout(function () {
      form.querySelectorAll("[data-auto]").forEach(function (el) { el.removeAttribute("data-auto"); });
      update();
    }, 0);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  document.getElementById("zc-print").addEventListener("click", function () { window.print(); });
  download.addEventListener("click", function () {
    download.disabled = true;
    status.textContent = "正在生成 Word 文件……";
    buildDocx().then(function (blob) {
      save(blob, fileName());
      status.textContent = "已生成：" + fileName() + "（在本机生成，未发送任何数据）。";
    }).catch(function (err) {
      status.textContent = "生成失败：" + (err && err.message ? err.message : err) + " 可下载空白模板手工填写。";
    }).then(function () { download.disabled = false; });
  });

  loadCalendar().then(update);
  update();
  window.zcPrefill = { values: values, fillXml: fillXml, nthWorkday: nthWorkday, crc32: crc32, ready: loadCalendar() };
})();

/* DOM building for the site's scripts: elements from a tag, attributes and children. Text is only
   ever text (text nodes, textContent, attribute values): no script builds HTML from strings, so
   data from notices, search results or the applicant never becomes markup. */

/**
 * A new element: el("a", {href: "x", className: "y"}, ["text", otherNode]).
 * attrs: attribute name → value; "text" sets textContent, "className" the class; null/undefined
 * values are skipped. children: strings (as text) and nodes; null/false entries are skipped.
 */
export function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (key === "text") node.textContent = value;
    else if (key === "className") node.className = value;
    else node.setAttribute(key, String(value));
  }
  for (const child of children || []) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** The first element matching selector (in root, else the document), or null. */
export function $(selector, root) {
  return (root || document).querySelector(selector);
}

/** Every element matching selector (in root, else the document), as an array. */
export function $$(selector, root) {
  return Array.from((root || document).querySelectorAll(selector));
}

/** fn once the document is parsed (module scripts already run after that; kept for clarity). */
export function onReady(fn) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
  else fn();
}

/** fn on every page view: Material's document$ when it is there (instant navigation), else once. */
export function onPage(fn) {
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(fn);
  else onReady(fn);
}

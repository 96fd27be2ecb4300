// Small DOM helpers. User text only ever goes through text nodes / textContent, never innerHTML.

import {PAGE} from "./page.js";

export {PAGE};

let plurals = null;

/** The text of a catalogue entry for the count n: plural forms are chosen by the language's CLDR
 * rule (Intl.PluralRules; the server uses Babel, the same data), `zero` first for 0 when given. */
export function choose(entry, n, lang = PAGE.lang) {
  if (typeof entry === "string") return entry;
  if (n === 0 && "zero" in entry) return entry.zero;
  if (!plurals || plurals.resolvedOptions().locale.split("-")[0] !== lang) plurals = new Intl.PluralRules(lang);
  return entry[plurals.select(Number(n))] ?? entry.other;
}

/** t("key", {name: "x", n: 2}) → the string of the page's language, {placeholders} filled in. */
export function t(key, values = {}) {
  const raw = PAGE.catalog[key];
  if (raw === undefined) return key;
  return choose(raw, values.n).replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
}

/**
 * h("button", {class: "x", "data-action": "y", onclick: fn}, "text", child) → element.
 * Strings become text nodes; attributes are set with setAttribute; on* are listeners.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else if (name === "text") el.textContent = value;
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; on plain http over the LAN, build a v4 UUID by hand.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Up to two letters (or digits) for an avatar: punctuation and symbols never count ("Z(" → "Z"). */
export function initials(name) {
  const parts = String(name || "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (!parts.length) return "?";
  const first = [...parts[0]];
  const letters = parts.length > 1 ? first[0] + [...parts[parts.length - 1]][0] : first.slice(0, 2).join("");
  return letters.toUpperCase();
}

/** A stable hue per participant, for avatars. */
export function hue(id) {
  let x = 0;
  for (const ch of String(id)) x = (x * 31 + ch.charCodeAt(0)) % 360;
  return x;
}

let toastBox = null;
export function toast(message, kind = "info") {
  toastBox = toastBox || document.getElementById("toasts");
  if (!toastBox) return;
  const el = h("div", {class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status"}, message);
  toastBox.appendChild(el);
  setTimeout(() => el.remove(), kind === "error" ? 6000 : 3500);
}

/** A modal confirm with our own dialog (no window.confirm: keyboard-friendly and translatable). */
export function confirmDialog(message, okLabel) {
  return new Promise((resolve) => {
    const dialog = h(
      "dialog",
      {class: "dialog", "data-testid": "confirm"},
      h("p", {}, message),
      h(
        "form",
        {method: "dialog", class: "dialog-actions"},
        h("button", {value: "cancel", class: "secondary"}, t("common.cancel")),
        h("button", {value: "ok", class: "danger", "data-action": "confirm"}, okLabel || t("common.delete")),
      ),
    );
    document.body.appendChild(dialog);
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "ok");
      dialog.remove();
    });
    dialog.showModal();
    dialog.querySelector("[value=cancel]").focus();
  });
}

/** Replace `el`'s content with a one-line input; Enter or blur saves, Escape cancels. */
export function inlineEdit(el, value, onSave, {maxLength = 200, label = ""} = {}) {
  const input = h("input", {class: "inline-input", value, maxlength: maxLength, "aria-label": label});
  const previous = [...el.childNodes];
  clear(el).appendChild(input);
  let done = false;
  const finish = (save) => {
    if (done) return;
    done = true;
    const next = input.value.trim();
    clear(el);
    previous.forEach((n) => el.appendChild(n));
    if (save && next && next !== value) onSave(next);
  };
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      finish(true);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      finish(false);
    }
    e.stopPropagation();
  });
  input.addEventListener("blur", () => finish(true));
  input.addEventListener("click", (e) => e.stopPropagation());
  input.focus();
  input.select();
}

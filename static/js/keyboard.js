// Keyboard help on the board: the skip link that lands on the grid's active cell, and the "?" sheet of
// shortcuts. The list below is the one place the board's keys are written down for people (the keys
// themselves are handled in board.js); its strings are `shortcuts.keys.*` / `shortcuts.does.*`.
import {h, t} from "./dom.js";

export const SHORTCUTS = [
  "help",
  "arrows",
  "home_end",
  "tab",
  "new",
  "save",
  "edit",
  "details",
  "move",
  "reorder",
  "delete",
  "escape",
  "undo",
  "zoom",
];

/** The shortcuts sheet as a modal dialog; Escape or its button closes it and gives the focus back. */
export function showShortcuts() {
  if (document.querySelector("[data-testid=shortcuts]")) return;
  const back = document.activeElement;
  const rows = SHORTCUTS.map((name) =>
    h("tr", {}, h("td", {}, h("kbd", {}, t(`shortcuts.keys.${name}`))), h("td", {}, t(`shortcuts.does.${name}`))),
  );
  const dialog = h(
    "dialog",
    {class: "dialog shortcuts", "data-testid": "shortcuts", "aria-labelledby": "shortcuts-title"},
    h("h2", {id: "shortcuts-title"}, t("shortcuts.title")),
    h("p", {class: "hint"}, t("shortcuts.lead")),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", {scope: "col"}, t("shortcuts.key")), h("th", {scope: "col"}, t("shortcuts.action")))),
      h("tbody", {}, rows),
    ),
    h("form", {method: "dialog", class: "dialog-actions"}, h("button", {class: "primary"}, t("common.close"))),
  );
  document.body.appendChild(dialog);
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (back && back.isConnected) back.focus();
  });
  dialog.showModal();
  dialog.querySelector("button").focus();
}

/** "?" anywhere outside a text field opens the sheet; the skip link and the "?" button are wired here. */
export function installKeyboardHelp({board}) {
  document.addEventListener("keydown", (e) => {
    if (e.key !== "?" || e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented) return;
    if (e.target.closest && e.target.closest("input, textarea, select, [contenteditable]")) return;
    e.preventDefault();
    showShortcuts();
  });
  document.getElementById("shortcuts-btn")?.addEventListener("click", () => showShortcuts());
  document.querySelector(".skip-link")?.addEventListener("click", (e) => {
    e.preventDefault();
    if (!board.active || !board.active.isConnected) board.restoreActive();
    board.moveTo(board.active);
  });
}

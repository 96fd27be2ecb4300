// Home: create a workshop from a template, then land on its board as the facilitator.
import {PAGE, clear, h, t} from "./dom.js";
import {recent, rememberMap, rememberRecent} from "./identity.js";
import {setupImport} from "./exports.js";

const form = document.getElementById("create-form");
const preview = document.getElementById("preview");
const error = form.querySelector(".form-error");

function showPreview() {
  const type = new FormData(form).get("map_type");
  const tpl = PAGE.templates[type];
  if (!tpl) return;
  const steps = tpl.stages.flatMap((s) => s.steps.map((step) => ({stage: s.title, step})));
  const table = h(
    "div",
    {class: "mini-map", style: `--n:${steps.length}`},
    h("div", {class: "mini-corner"}),
    tpl.stages.map((s) => h("div", {class: "mini-stage", style: `grid-column: span ${Math.max(s.steps.length, 1)}`}, s.title)),
    h("div", {class: "mini-corner"}),
    steps.map((s) => h("div", {class: "mini-step"}, s.step)),
    tpl.lanes.map((lane) => [h("div", {class: "mini-lane"}, lane), steps.map(() => h("div", {class: "mini-cell"}))]),
  );
  clear(preview).append(
    h("p", {class: "muted"}, tpl.description),
    table,
    h("p", {class: "hint"}, t("home.preview_hint", {lanes: tpl.lanes.length, steps: steps.length})),
  );
}

form.addEventListener("change", showPreview);
showPreview();

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  error.hidden = true;
  const data = new FormData(form);
  const body = {
    title: data.get("title").trim(),
    map_type: data.get("map_type"),
    locale: data.get("locale"),
    objective: data.get("objective").trim(),
  };
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const res = await fetch("/api/workshops", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
    const answer = await res.json();
    if (!res.ok) throw new Error(answer.error ? answer.error.message : res.statusText);
    rememberMap(answer.map.id, {token: answer.facilitator_token});
    rememberRecent({map_id: answer.map.id, title: answer.workshop.title, role: "facilitator"});
    location.href = `/board/${answer.map.id}`;
  } catch (err) {
    error.textContent = `${t("home.error")} ${err.message || ""}`;
    error.hidden = false;
    button.disabled = false;
  }
});

const boards = recent();
if (boards.length) {
  const section = document.getElementById("recent");
  section.hidden = false;
  const list = section.querySelector("ul");
  for (const b of boards) {
    list.appendChild(
      h(
        "li",
        {},
        h("a", {href: `/board/${b.map_id}`}, b.title || b.map_id),
        h("span", {class: "muted"}, ` · ${t(`role.${b.role || "participant"}`)}${b.name ? ` · ${b.name}` : ""}`),
      ),
    );
  }
}

// Import a workshop.json: a new workshop, and its board as its facilitator (like after creating one).
setupImport({
  input: document.getElementById("import-file"),
  status: document.getElementById("import-status"),
  remember: (answer) => {
    rememberMap(answer.map.id, {token: answer.facilitator_token});
    rememberRecent({map_id: answer.map.id, title: answer.workshop.title, role: "facilitator"});
  },
});

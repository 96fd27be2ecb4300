// The respondent's page (/listen/{code}, CONTRACT.md §7): one fieldset per step with five faces (real radio
// inputs), "this moment matters to me" and an optional comment. The respondent's key (rid) is a UUID made
// here and kept in localStorage, so the same device edits the same response; PUT is idempotent, so a retry
// after a flaky connection never makes a second response.
import {PAGE, clear, h, t, uuid} from "./dom.js";
import {SCORES, face, scoreLabel} from "./emotions.js";

const code = PAGE.code;
const KEY = `parcours.listen.${code}`;
const form = document.getElementById("listen-form");
const stepsBox = document.getElementById("listen-steps");
const errorEl = form.querySelector(".form-error");
const statusEl = document.querySelector("[data-testid=listen-status]");
const thanks = document.querySelector("[data-testid=thanks]");
const submit = form.querySelector("[data-action=listen-submit]");

function rid() {
  let value = null;
  try {
    value = localStorage.getItem(KEY);
  } catch {
    /* private mode: a key for this visit only */
  }
  if (!value) {
    value = uuid();
    try {
      localStorage.setItem(KEY, value);
    } catch {
      /* ignore */
    }
  }
  return value;
}

function showStatus(message) {
  statusEl.textContent = message;
  statusEl.hidden = false;
}

function showError(message) {
  errorEl.textContent = message;
  errorEl.hidden = !message;
}

function stepBlock(step) {
  const id = step.id;
  const faces = h(
    "fieldset",
    {class: "listen-faces"},
    h("legend", {}, t("listen.how")),
    SCORES.map((score) =>
      h(
        "label",
        {class: "listen-face"},
        h("input", {type: "radio", name: `score-${id}`, value: String(score)}),
        face(score),
        h("span", {class: "listen-face-label"}, scoreLabel(score)),
      ),
    ),
  );
  const clearBtn = h("button", {type: "button", class: "link listen-clear", "data-action": "clear-score"}, t("listen.no_answer"));
  clearBtn.addEventListener("click", () => {
    for (const input of faces.querySelectorAll("input")) input.checked = false;
  });
  const commentId = `verbatim-${id}`;
  return h(
    "fieldset",
    {class: "listen-step", "data-step-id": id},
    h("legend", {}, step.title),
    step.stage ? h("p", {class: "listen-stage"}, t("listen.stage", {stage: step.stage})) : null,
    faces,
    clearBtn,
    h("label", {class: "listen-important"}, h("input", {type: "checkbox", name: `important-${id}`}), t("listen.important")),
    h("label", {class: "listen-comment", for: commentId}, t("listen.comment")),
    h("textarea", {id: commentId, name: `verbatim-${id}`, maxlength: "1000", rows: "2", "aria-describedby": `${commentId}-hint`}),
    h("small", {id: `${commentId}-hint`, class: "hint"}, t("listen.comment_hint")),
  );
}

function fill(response) {
  for (const a of response.answers || []) {
    const block = stepsBox.querySelector(`[data-step-id="${CSS.escape(a.step_id)}"]`);
    if (!block) continue;
    if (a.score !== null && a.score !== undefined) {
      const input = block.querySelector(`input[value="${a.score}"]`);
      if (input) input.checked = true;
    }
    block.querySelector("input[type=checkbox]").checked = !!a.important;
    block.querySelector("textarea").value = a.verbatim || "";
  }
}

function answers(steps) {
  const out = [];
  for (const step of steps) {
    const checked = form.querySelector(`input[name="score-${CSS.escape(step.id)}"]:checked`);
    const important = form.querySelector(`input[name="important-${CSS.escape(step.id)}"]`).checked;
    const verbatim = form.querySelector(`textarea[name="verbatim-${CSS.escape(step.id)}"]`).value.trim();
    const score = checked ? Number(checked.value) : null;
    if (score === null && !important && !verbatim) continue;
    const answer = {step_id: step.id, score, important};
    if (verbatim) answer.verbatim = verbatim;
    out.push(answer);
  }
  return out;
}

function closed() {
  form.hidden = true;
  showStatus(t("listen.closed"));
}

async function load() {
  let res;
  try {
    res = await fetch(`/api/listen/${encodeURIComponent(code)}`);
  } catch {
    showStatus(t("listen.offline"));
    return;
  }
  if (res.status === 404) {
    form.hidden = true;
    showStatus(t("listen.wrong_code"));
    return;
  }
  const data = await res.json();
  const steps = data.steps || [];
  if (data.listening && data.listening.title) document.getElementById("listen-title").textContent = data.listening.title;
  if (!steps.length) {
    form.hidden = true;
    showStatus(t("listen.no_steps"));
    return;
  }
  clear(stepsBox);
  for (const s of steps) stepsBox.appendChild(stepBlock(s));
  const mine = await fetch(`/api/listen/${encodeURIComponent(code)}/responses/${rid()}`).catch(() => null);
  if (mine && mine.ok) {
    fill((await mine.json()).response);
    submit.textContent = t("listen.update");
  }
  if (data.listening.status !== "open") closed();
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    save(steps);
  });
}

// A busy server (or a burst from this device) answers 429 with Retry-After: the same PUT is sent
// again after that wait, a few times, before the respondent is asked to try later. Safe: PUT is idempotent.
const RETRIES = 3;
async function putAnswers(body) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`/api/listen/${encodeURIComponent(code)}/responses/${rid()}`, {
      method: "PUT",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body),
    });
    if (res.status !== 429 || attempt >= RETRIES) return res;
    const wait = Math.min(10, Math.max(1, Number(res.headers.get("Retry-After")) || 2));
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 * (0.8 + Math.random() * 0.4)));
  }
}

async function save(steps) {
  showError("");
  const body = {answers: answers(steps)};
  if (!body.answers.some((a) => a.score !== null || a.verbatim)) {
    showError(t("listen.need_one"));
    return;
  }
  submit.disabled = true;
  const label = submit.textContent;
  submit.textContent = t("listen.saving");
  try {
    const res = await putAnswers(body);
    const data = await res.json().catch(() => ({}));
    if (res.ok) {
      thanks.hidden = false;
      thanks.focus();
      submit.textContent = t("listen.update");
      return;
    }
    const err = data.error || {};
    submit.textContent = label;
    if (err.code === "closed") closed();
    else if (res.status === 404) {
      form.hidden = true;
      showStatus(t("listen.wrong_code"));
    } else if (err.code === "rate_limited") showError(t("listen.slow_down", {s: res.headers.get("Retry-After") || "5"}));
    else if (err.code === "conflict") showError(t("listen.conflict"));
    else showError(`${t("listen.error")} ${err.message || res.statusText}`);
  } catch {
    submit.textContent = label;
    showError(t("listen.offline"));
  } finally {
    submit.disabled = false;
  }
}

form.addEventListener("input", () => {
  thanks.hidden = true;
});
load();

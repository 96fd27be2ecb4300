// Join: name, department, side of the mirror; the token is kept per join code so the person stays the same.
import {PAGE, t} from "./dom.js";
import {forgetJoin, joined, rememberJoin} from "./identity.js";

const code = PAGE.code;
const form = document.getElementById("join-form");
const error = form.querySelector(".form-error");
const known = joined(code);

if (known && known.token && known.map_ids && known.map_ids.length) {
  const box = document.getElementById("known");
  box.hidden = false;
  box.querySelector(".known-text").textContent = t("join.known", {name: known.participant.name});
  document.getElementById("continue").addEventListener("click", () => {
    location.href = `/board/${known.map_ids[0]}`;
  });
  document.getElementById("someone-else").addEventListener("click", () => {
    forgetJoin(code);
    box.hidden = true;
    form.querySelector("input[name=name]").focus();
  });
  document.getElementById("continue").focus();
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  error.hidden = true;
  const data = new FormData(form);
  const body = {code, name: data.get("name").trim(), perspective: data.get("perspective") || undefined};
  const department = (data.get("department") || "").trim();
  if (department) body.department = department;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const res = await fetch("/api/join", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
    const answer = await res.json();
    if (!res.ok) throw new Error(answer.error ? answer.error.message : res.statusText);
    rememberJoin(code, answer);
    location.href = `/board/${answer.map_ids[0]}`;
  } catch (err) {
    error.textContent = `${t("join.error")} ${err.message || ""}`;
    error.hidden = false;
    button.disabled = false;
  }
});

// Exports (PDF, CSV, workshop.json) from the board, and the import of a workshop.json on the home page.
// The endpoints want the bearer token: the file is fetched with an Authorization header and saved from
// a blob under the server's file name (never a link with the token in its URL).
import {PAGE, clear, h, t, toast} from "./dom.js";
import {recent, tokenForMap} from "./identity.js";

export const EXPORTS = [
  {key: "chantiers", path: (w, m) => `/api/workshops/${w}/export/chantiers.pdf`, ext: "pdf"},
  {key: "map", path: (w, m) => `/api/maps/${m}/export/map.pdf`, ext: "pdf"},
  {key: "report", path: (w, m) => `/api/workshops/${w}/export/report.pdf`, ext: "pdf"},
  {key: "cards", path: (w, m) => `/api/maps/${m}/export/cards.csv`, ext: "csv"},
  {key: "workshop", path: (w, m) => `/api/workshops/${w}/export/workshop.json`, ext: "json"},
];

/** The file name of a Content-Disposition header (RFC 6266: filename* first, then filename). */
export function dispositionName(header, fallback) {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[2].trim().replace(/^"|"$/g, ""));
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  const name = plain ? (plain[2] ?? plain[1]).trim() : "";
  // Never a path: only the last segment, and nothing a file system would refuse.
  return (
    name
      .split(/[\\/]/)
      .pop()
      .replace(/[\u0000-\u001f]/g, "") || fallback
  );
}

export async function download(url, token, fallback) {
  const res = await fetch(url, {headers: {Authorization: `Bearer ${token}`}});
  if (!res.ok) {
    let message = res.statusText;
    try {
      const body = await res.json();
      message = (body.error && body.error.message) || message;
    } catch {
      /* not JSON */
    }
    throw new Error(message || String(res.status));
  }
  const blob = await res.blob();
  const name = dispositionName(res.headers.get("Content-Disposition"), fallback);
  const href = URL.createObjectURL(blob);
  const a = h("a", {href, download: name, hidden: true});
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60000);
  return name;
}

/** The export menu: a popover of the five exports, opened from `button`. */
export class ExportMenu {
  constructor({button, token, workshopId, mapId}) {
    this.button = button;
    this.token = token;
    this.workshopId = workshopId;
    this.mapId = mapId;
    this.busy = new Set();
    this.el = h("div", {
      class: "export-menu",
      id: "export-menu",
      role: "menu",
      "aria-label": t("export.title"),
      hidden: true,
      "data-testid": "export-menu",
    });
    // Inside the dock's landmark, so that a screen reader finds the menu where its button is.
    (button.closest("nav, aside, main, header") || document.body).appendChild(this.el);
    button.setAttribute("aria-haspopup", "menu");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", "export-menu");
    button.addEventListener("click", (e) => {
      e.stopPropagation();
      this.toggle();
    });
    document.addEventListener("click", (e) => {
      if (!this.el.hidden && !this.el.contains(e.target)) this.close();
    });
    this.el.addEventListener("keydown", (e) => {
      const items = [...this.el.querySelectorAll("[role=menuitem]")];
      const i = items.indexOf(document.activeElement);
      if (e.key === "Escape") {
        e.preventDefault();
        this.close();
        this.button.focus();
      } else if (e.key === "ArrowDown") {
        e.preventDefault();
        items[(i + 1) % items.length].focus();
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        items[(i - 1 + items.length) % items.length].focus();
      }
    });
    this.draw();
  }

  draw() {
    clear(this.el).appendChild(h("div", {class: "export-head"}, t("export.title")));
    for (const x of EXPORTS) {
      const busy = this.busy.has(x.key);
      const item = h(
        "button",
        {
          type: "button",
          class: "export-item",
          role: "menuitem",
          "data-export": x.key,
          "aria-busy": busy ? "true" : "false",
          disabled: busy,
        },
        h("span", {class: `export-ext ext-${x.ext}`}, x.ext.toUpperCase()),
        h(
          "span",
          {class: "export-text"},
          h("strong", {}, t(`export.${x.key}`)),
          h("span", {class: "muted"}, busy ? t("export.working") : t(`export.${x.key}_desc`)),
        ),
      );
      item.addEventListener("click", () => this.run(x));
      this.el.appendChild(item);
    }
  }

  toggle() {
    if (this.el.hidden) this.open();
    else this.close();
  }

  open() {
    this.draw();
    this.el.hidden = false;
    this.button.setAttribute("aria-expanded", "true");
    const r = this.button.getBoundingClientRect();
    const dock = (this.button.closest(".sheet-dock") || this.button).getBoundingClientRect();
    this.el.style.left = `${Math.max(8, dock.left)}px`;
    this.el.style.bottom = `${window.innerHeight - r.top + 8}px`;
    this.el.querySelector("[role=menuitem]")?.focus();
  }

  close() {
    this.el.hidden = true;
    this.button.setAttribute("aria-expanded", "false");
  }

  async run(x) {
    if (this.busy.has(x.key)) return;
    this.busy.add(x.key);
    this.draw();
    this.button.classList.add("busy");
    try {
      // In the language the person reads the board in (the server's default is the workshop's own).
      const lang = PAGE.lang ? `?lang=${encodeURIComponent(PAGE.lang)}` : "";
      const name = await download(`${x.path(this.workshopId, this.mapId)}${lang}`, this.token, `parcours-${x.key}.${x.ext}`);
      toast(t("export.done", {name}));
      this.close();
    } catch (err) {
      toast(`${t("export.failed")} ${err.message || ""}`, "error");
    } finally {
      this.busy.delete(x.key);
      this.button.classList.toggle("busy", this.busy.size > 0);
      this.draw();
    }
  }
}

/** The token of the newest board this browser leads as facilitator, or null. */
export function facilitatorToken() {
  for (const board of recent()) {
    const entry = board.role === "facilitator" ? tokenForMap(board.map_id) : null;
    if (entry && entry.token) return entry.token;
  }
  return null;
}

/** Home page: import a workshop.json, then go to the new board as its facilitator. */
export function setupImport({input, status, remember}) {
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    status.hidden = false;
    status.classList.remove("form-error");
    status.textContent = t("home.import_working");
    let body;
    try {
      body = JSON.parse(await file.text());
    } catch {
      fail(t("home.import_bad_file"));
      return;
    }
    // The server wants a facilitator's token (of any workshop on it): the newest board this browser leads.
    const token = facilitatorToken();
    if (!token) {
      fail(t("impex.err.token"));
      return;
    }
    try {
      const res = await fetch(`/api/workshops/import?lang=${encodeURIComponent(PAGE.lang || "fr")}`, {
        method: "POST",
        headers: {"Content-Type": "application/json", Authorization: `Bearer ${token}`},
        body: JSON.stringify(body),
      });
      const answer = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(answer.error ? answer.error.message : res.statusText);
      remember(answer);
      location.href = `/board/${answer.map.id}`;
    } catch (err) {
      fail(err.message || "");
    }
  });

  function fail(message) {
    status.hidden = false;
    status.classList.add("form-error");
    status.textContent = `${t("home.import_error")} ${message}`;
    input.value = "";
  }
}

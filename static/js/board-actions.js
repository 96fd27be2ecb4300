// What a person does on the board, as ops (board.js): the table that turns a click on a
// `data-action` control into its op, dropping a card (Sortable), moving one with the keyboard, and
// the structure's commands (add, rename, move, delete stages, steps and lanes).
import {confirmDialog, h, inlineEdit, t, uuid} from "./dom.js";
import {excerpt} from "./text.js";
import {orderedLanes, orderedStages, orderedSteps} from "./store.js";

/** data-action → (board, the clicked control, its cell, its card element). */
export const ACTIONS = {
  "add-card": (b, target, cell) => b.openEditor(cell.dataset.laneId, cell.dataset.stepId),
  "card-menu": (b, target, cell, cardEl) => b.onOpenCard(cardEl.dataset.cardId),
  "goto-parent": (b, target) => {
    if (target.dataset.target) b.flash(target.dataset.target);
  },
  "add-step": (b, target) => b.addStep(target.dataset.stageId, target),
  "add-stage": (b) => b.addStage(),
  "add-lane": (b) => b.addLane(),
  "rename-stage": (b, target) => b.rename("stage", target.dataset.stageId, target),
  "rename-step": (b, target) => b.rename("step", target.dataset.stepId, target),
  "rename-lane": (b, target) => b.rename("lane", target.dataset.laneId, target),
  "move-stage": (b, target) => b.moveStage(target.dataset.stageId, Number(target.dataset.dir)),
  "move-step": (b, target) => b.moveStep(target.dataset.stepId, Number(target.dataset.dir)),
  "move-lane": (b, target) => b.moveLane(target.dataset.laneId, Number(target.dataset.dir)),
  "delete-stage": (b, target) => b.deleteThing("stage", target.dataset.stageId),
  "delete-step": (b, target) => b.deleteThing("step", target.dataset.stepId),
  "delete-lane": (b, target) => b.deleteThing("lane", target.dataset.laneId),
  "focus-step": (b, target) => {
    const id = target.dataset.stepId;
    b.conn.send({type: "focus.set", step_id: b.view.map.focus_step_id === id ? null : id});
  },
  "key-moment": (b, target) => {
    const step = b.view.steps.get(target.dataset.stepId);
    if (step) b.conn.send({type: "step.update", id: step.id, key_moment: !step.key_moment});
  },
};

export class BoardActions {
  onClick(e) {
    const target = e.target.closest("[data-action]");
    if (!target || !this.root.contains(target)) return;
    const run = ACTIONS[target.dataset.action];
    if (run) run(this, target, target.closest("[data-cell]"), target.closest("[data-card-id]"));
  }

  onDrop(evt) {
    this.dragging = false;
    const id = evt.item.dataset.cardId;
    const to = evt.to.closest("[data-cell]");
    const from = evt.from.closest("[data-cell]");
    const moved = to !== from || evt.oldDraggableIndex !== evt.newDraggableIndex;
    if (id && to && moved) {
      this.conn.send({type: "card.move", id, lane_id: to.dataset.laneId, step_id: to.dataset.stepId, position: evt.newDraggableIndex});
    }
    this.dirty = false;
    this.render();
  }

  keyMove(card, key, withinCell) {
    const steps = orderedSteps(this.view);
    const lanes = orderedLanes(this.view);
    let si = steps.findIndex((s) => s.id === card.step_id);
    let li = lanes.findIndex((l) => l.id === card.lane_id);
    let position = null;
    if (withinCell && (key === "ArrowUp" || key === "ArrowDown")) {
      position = Math.max(0, card.position + (key === "ArrowUp" ? -1 : 1));
    } else if (key === "ArrowLeft") si -= 1;
    else if (key === "ArrowRight") si += 1;
    else if (key === "ArrowUp") li -= 1;
    else if (key === "ArrowDown") li += 1;
    if (si < 0 || si >= steps.length || li < 0 || li >= lanes.length) return;
    const op = {type: "card.move", id: card.id, lane_id: lanes[li].id, step_id: steps[si].id};
    if (position !== null) op.position = position;
    this.focusCard = card.id;
    this.conn.send(op);
    requestAnimationFrame(() => this.cardEls.get(card.id)?.focus());
  }

  async deleteCard(id) {
    const card = this.view.cards.get(id);
    if (!card) return false;
    if (!(await confirmDialog(t("card.confirm_delete", {text: excerpt(card.text ?? t("card.hidden_text"), 80)})))) return false;
    this.conn.send({type: "card.delete", id});
    return true;
  }

  // -- structure --------------------------------------------------------------------------------

  /** A one-line input next to `anchor`; Enter (or leaving it with text) answers the text, Escape null. */
  ask(anchor, label) {
    return new Promise((resolve) => {
      const input = h("input", {class: "inline-input ask-input", placeholder: label, "aria-label": label, maxlength: "200"});
      const host = (anchor && anchor.closest(".stage-head, .step-head, .lane-head, .tail-head, .add-lane-row")) || this.root;
      host.appendChild(input);
      input.focus();
      let done = false;
      const finish = (value) => {
        if (done) return;
        done = true;
        input.remove();
        resolve(value || null);
        if (anchor && anchor.isConnected) anchor.focus();
      };
      input.addEventListener("keydown", (e) => {
        e.stopPropagation();
        if (e.key === "Enter") {
          e.preventDefault();
          finish(input.value.trim());
        } else if (e.key === "Escape") {
          e.preventDefault();
          finish(null);
        }
      });
      input.addEventListener("click", (e) => e.stopPropagation());
      input.addEventListener("blur", () => finish(input.value.trim()));
    });
  }

  async addStep(stageId, anchor) {
    const title = await this.ask(anchor, t("step.new_title"));
    if (title) this.conn.send({type: "step.add", id: uuid(), title, stage_id: stageId || null});
  }

  async addStage() {
    const anchor = this.root.querySelector("[data-action=add-stage]");
    const title = await this.ask(anchor, t("stage.new_title"));
    if (title) this.conn.send({type: "stage.add", id: uuid(), title});
  }

  async addLane() {
    const anchor = this.root.querySelector("[data-action=add-lane]");
    const title = await this.ask(anchor, t("lane.new_title"));
    if (title) this.conn.send({type: "lane.add", id: uuid(), title, kind: "custom"});
  }

  rename(what, id, button) {
    const coll = {stage: this.view.stages, step: this.view.steps, lane: this.view.lanes}[what];
    const item = coll.get(id);
    if (!item) return;
    const head = button.closest(".stage-head, .step-head, .lane-head");
    const titleEl = head.querySelector(".stage-title, .step-title, .lane-title");
    inlineEdit(titleEl, item.title, (title) => this.conn.send({type: `${what}.update`, id, title}), {label: t("common.rename")});
  }

  moveStage(id, dir) {
    const stage = this.view.stages.get(id);
    if (stage) this.conn.send({type: "stage.update", id, position: Math.max(0, stage.position + dir)});
  }

  moveLane(id, dir) {
    const lane = this.view.lanes.get(id);
    if (lane) this.conn.send({type: "lane.move", id, position: Math.max(0, lane.position + dir)});
  }

  /** Left/right within the stage; past its edge, into the neighbouring stage. */
  moveStep(id, dir) {
    const step = this.view.steps.get(id);
    if (!step) return;
    const siblings = [...this.view.steps.values()].filter((s) => s.stage_id === step.stage_id);
    const position = step.position + dir;
    if (position >= 0 && position < siblings.length) {
      this.conn.send({type: "step.move", id, position});
      return;
    }
    const stages = orderedStages(this.view);
    const si = stages.findIndex((s) => s.id === step.stage_id);
    const next = si === -1 ? (dir < 0 ? stages[stages.length - 1] : null) : stages[si + dir];
    if (!next) return;
    const count = [...this.view.steps.values()].filter((s) => s.stage_id === next.id).length;
    this.conn.send({type: "step.move", id, stage_id: next.id, position: dir < 0 ? count : 0});
  }

  async deleteThing(what, id) {
    const coll = {stage: this.view.stages, step: this.view.steps, lane: this.view.lanes}[what];
    const item = coll.get(id);
    if (!item) return;
    let n = 0;
    if (what === "step") n = [...this.view.cards.values()].filter((c) => c.step_id === id).length;
    if (what === "lane") n = [...this.view.cards.values()].filter((c) => c.lane_id === id).length;
    const message = t(`${what}.confirm_delete`, {title: item.title, n});
    if (await confirmDialog(message)) this.conn.send({type: `${what}.delete`, id});
  }
}

// The workbench's only script: drag and drop on 收表, and a run's progress from its own output.
"use strict";

function setUpDrop() {
  const drop = document.getElementById("drop");
  const input = document.getElementById("files");
  const form = document.getElementById("collect-form");
  if (!drop || !input || !form) return;
  ["dragenter", "dragover"].forEach((kind) =>
    drop.addEventListener(kind, (e) => { e.preventDefault(); drop.classList.add("over"); }));
  ["dragleave", "drop"].forEach((kind) =>
    drop.addEventListener(kind, () => drop.classList.remove("over")));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    input.files = e.dataTransfer.files;
    form.submit();
  });
}

function followRun() {
  const box = document.getElementById("run");
  if (!box || box.dataset.running !== "yes") return;
  const bar = document.getElementById("bar");
  const count = document.getElementById("count");
  const current = document.getElementById("current");
  const outcome = document.getElementById("outcome");
  const log = document.getElementById("log");
  const poll = async () => {
    let state;
    try {
      const answer = await fetch(box.dataset.status, { credentials: "same-origin" });
      state = await answer.json();
    } catch (err) {
      outcome.textContent = "与工作台的连接中断，请刷新页面。";
      return;
    }
    if (state.total) {
      bar.max = state.total;
      bar.value = state.done;
      count.textContent = state.done + "/" + state.total;
    }
    current.textContent = state.current;
    log.textContent = state.lines.join("\n");
    log.scrollTop = log.scrollHeight;
    outcome.textContent = state.outcome;
    if (state.running) {
      setTimeout(poll, 400);
    } else {
      if (!state.total) { bar.max = 1; bar.value = 1; }
      outcome.className = (state.returncode === 0 || state.returncode === 3) ? "good" : "bad";
      box.dataset.running = "no";
    }
  };
  poll();
}

document.addEventListener("DOMContentLoaded", () => { setUpDrop(); followRun(); });

// Small progressive enhancements; the pages work without them. No inline script (CSP).
// No interface words live here: the pages hand them over in data attributes
// (data-confirm, data-saving ...), written in the page's language; numbers are
// written the way the page's language writes them.
document.addEventListener("DOMContentLoaded", () => {
  const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });

  // A double click sends a form once: buttons are disabled after the first submit.
  document.querySelectorAll("form[method=post]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      window.setTimeout(() => form.querySelectorAll("button").forEach((b) => { b.disabled = true; }), 0);
    });
  });

  document.querySelectorAll(".move-form").forEach((form) => {
    const select = form.querySelector(".move-target");
    const reason = form.querySelector(".move-reason");
    const sync = () => {
      const closing = select.value === "rejected" || select.value === "withdrawn";
      reason.classList.toggle("hidden", !closing);
      reason.required = closing;
    };
    select.addEventListener("change", sync);
    sync();
  });

  // A bulk bar shows the fields of the chosen action only (all of them show without the script).
  document.querySelectorAll(".bulk-choice").forEach((select) => {
    const fields = select.form.querySelectorAll("[data-for]");
    const sync = () => fields.forEach((f) => f.classList.toggle("hidden", f.dataset.for !== select.value));
    select.addEventListener("change", sync);
    sync();
  });

  // "Select all" ticks every box of its name in the same form (the boxes alone work without it).
  document.querySelectorAll("[data-check-all]").forEach((all) => {
    const form = all.form;
    const boxes = () => document.querySelectorAll(
      `input[type=checkbox][name="${all.dataset.checkAll}"]:not(:disabled)`);
    const mine = () => [...boxes()].filter((box) => box.form === form);
    all.addEventListener("change", () => mine().forEach((box) => { box.checked = all.checked; }));
  });

  // The receptionist's screen: one-tap actions without a page load, and a refresh every 10 seconds
  // that asks only for what changed since the version the screen shows (the rows the server
  // rendered for it, and the small regions that move with the clock). A screen that cannot place
  // a change (a row gone from the day without a trace) loads the whole day once. A refresh keeps
  // what the receptionist is doing: the control they are on and the interviewer chosen in each
  // row; the search box lives outside what a refresh replaces. Only arrivals and send-ins are
  // read aloud (the server says them), never the minutes that tick.
  const FOLD = { "đ": "dj", "ł": "l", "ø": "o", "ı": "i", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th", "ß": "ss",
    "ґ": "г", "є": "е", "і": "и", "ї": "и", "ё": "е", "’": "'", "ʼ": "'", "`": "'", "´": "'", "‘": "'" };
  // recruit/search.py's fold: the page's rows carry their names folded the same way
  const fold = (text) => Array.from(text.toLowerCase()).map((ch) => FOLD[ch] || ch).join("")
    .replace(/й/g, "\ue000").normalize("NFKD").replace(/\p{M}/gu, "").replace(/\ue000/g, "й")
    .replace(/\s+/g, " ").trim();
  document.querySelectorAll("[data-live-url]").forEach((desk) => {
    const live = desk.querySelector(".desk-live");
    const ask = desk.querySelector("[data-ask]");
    const announcer = desk.querySelector("[data-announce]");
    const find = desk.querySelector("[data-desk-find]");
    const none = desk.querySelector("[data-find-none]");
    const versionOf = () => {
      const regions = live.querySelector("[data-desk-version]");
      return regions ? Number(regions.dataset.deskVersion) : -1;
    };
    let version = versionOf();

    // The search: a fragment of the folded name, or of one of the number's digit spellings
    // (desk_search.py); a number typed with 00 in front is its + form.
    const filter = () => {
      if (!find) return;
      const key = fold(find.value);
      let digits = find.value.replace(/\D/g, "");
      if (digits.startsWith("00")) digits = digits.slice(2);
      const numbers = digits.length >= 3 ? [digits] : [];
      let found = 0;
      let rows = 0;
      desk.querySelectorAll("[data-find]").forEach((row) => {
        const dial = (row.dataset.dial || "").split(" ").filter(Boolean);
        const match = !key || row.dataset.find.includes(key)
          || numbers.some((n) => dial.some((form) => form.includes(n)));
        row.hidden = !match;
        rows += 1;
        found += match ? 1 : 0;
      });
      if (none) none.hidden = !key || found > 0 || rows === 0;
    };
    if (find) {
      find.addEventListener("input", filter);
      find.form.addEventListener("submit", (event) => { event.preventDefault(); filter(); });
      const clear = find.form.querySelector("[data-find-clear]");
      if (clear) clear.addEventListener("click", (event) => {
        event.preventDefault();
        find.value = "";
        filter();
        find.focus();
      });
    }

    // What a refresh must not take away: the focused control (found again by its form, kind and
    // name, or its link) and the interviewer chosen in each waiting row.
    const keyOf = (el) => {
      if (!el || !live.contains(el) || el === live) return null;
      const form = el.closest("form");
      return [form ? form.getAttribute("action") : "", el.tagName, el.getAttribute("name") || "",
        el.getAttribute("href") || ""].join("|");
    };
    const keep = () => {
      const chosen = new Map();
      live.querySelectorAll("form.desk-action select").forEach((select) => {
        if (select.dataset.chosen) chosen.set(select.form.getAttribute("action"), select.value);
      });
      return { focus: keyOf(document.activeElement), chosen };
    };
    const restore = (kept) => {
      live.querySelectorAll("form.desk-action select").forEach((select) => {
        const value = kept.chosen.get(select.form.getAttribute("action"));
        if (value !== undefined && Array.from(select.options).some((o) => o.value === value)) {
          select.value = value;
          select.dataset.chosen = "1";
        }
      });
      if (kept.focus && keyOf(document.activeElement) !== kept.focus) {
        const again = Array.from(live.querySelectorAll("a, button, select, input")).find((el) => keyOf(el) === kept.focus);
        if (again) again.focus({ preventScroll: true });
      }
      filter();
    };
    live.addEventListener("change", (event) => {
      if (event.target.matches("form.desk-action select")) event.target.dataset.chosen = "1";
    });
    const say = (text) => {
      if (!announcer || !text) return;
      announcer.textContent = "";
      window.setTimeout(() => { announcer.textContent = text; }, 50);
    };

    const whole = async () => {
      try {
        const response = await fetch(desk.dataset.liveUrl, { headers: { "X-Requested-With": "fetch" } });
        if (response.ok) {
          const html = await response.text();
          const kept = keep();
          live.innerHTML = html;
          version = versionOf();
          restore(kept);
        }
      } catch (err) {
        /* offline for a moment: keep the last picture */
      }
    };
    const place = (row) => {
      live.querySelectorAll(`.desk-slot [data-booking="${row.id}"]`).forEach((el) => el.remove());
      if (!row.html) return true;
      const list = live.querySelector(`.desk-slot[data-slot="${row.slot}"] .desk-rows`);
      if (!list) return false;
      const holder = document.createElement("template");
      holder.innerHTML = row.html.trim();
      const after = Array.from(list.children).find((el) => {
        const rank = Number(el.dataset.rank);
        return rank > row.rank || (rank === row.rank && Number(el.dataset.booking) > row.id);
      });
      list.insertBefore(holder.content.firstElementChild, after || null);
      return true;
    };
    const apply = async (data) => {
      if (typeof data.version !== "number" || data.version < version) return;  // an older answer, overtaken
      const kept = keep();
      const placed = data.rows.map(place).every(Boolean);
      Object.entries(data.regions).forEach(([name, html]) => {
        const region = live.querySelector(`[data-region="${name}"]`);
        if (region && region.dataset.html !== html) {  // unchanged regions are left as they are
          region.innerHTML = html;
          region.dataset.html = html;
        }
      });
      live.querySelectorAll(".desk-slot").forEach((slot) => {
        slot.querySelector(".desk-empty").hidden = Boolean(slot.querySelector("[data-booking]"));
      });
      const notice = live.querySelector(".desk-notice");
      if (notice) {
        const refused = data.error && !data.question;
        notice.textContent = refused ? data.error.message : "";
        notice.hidden = !refused;
      }
      version = data.version;
      const regions = live.querySelector("[data-desk-version]");
      if (regions) regions.dataset.deskVersion = String(version);
      restore(kept);
      say(data.announce);
      if (!placed || live.querySelectorAll(".desk-slot [data-booking]").length !== data.shown) await whole();
    };
    const refresh = async () => {
      if (version < 0) return whole();
      try {
        const url = `${desk.dataset.changesUrl}?since=${version}`;
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (response.ok) await apply(await response.json());
      } catch (err) {
        /* offline for a moment: keep the last picture */
      }
    };

    // A send-in to a busy interviewer: the server's question, asked in the page; focus goes to it,
    // and back to the search box when it is answered or dismissed (Escape, or "Keep ... waiting").
    const dismiss = () => {
      if (!ask.firstElementChild) return;
      ask.innerHTML = "";
      if (find) find.focus();
    };
    const question = (html) => {
      ask.innerHTML = html;
      const heading = ask.querySelector("h2");
      if (heading) heading.focus();
    };
    if (ask) {
      ask.addEventListener("click", (event) => {
        if (!event.target.closest("[data-dismiss]")) return;
        event.preventDefault();
        dismiss();
      });
      ask.addEventListener("keydown", (event) => { if (event.key === "Escape") dismiss(); });
    }
    desk.addEventListener("submit", async (event) => {
      const form = event.target.closest("form.desk-action");
      if (!form) return;
      event.preventDefault();
      const asked = ask && ask.contains(form);
      form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
      try {
        const response = await fetch(form.action, {
          method: "POST", body: new FormData(form),
          headers: { Accept: "application/json", "X-Desk-Version": String(Math.max(version, 0)) },
        });
        const type = response.headers.get("Content-Type") || "";
        const data = (response.ok || response.status === 409) && type.includes("json") ? await response.json() : null;
        if (data && data.question) question(data.question);
        else if (asked) dismiss();
        if (data) await apply(data);
        else await whole();
        if (form.isConnected) form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
      } catch (err) {
        form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
      }
    });
    filter();
    window.setInterval(refresh, 10000);
  });

  // A quiz attempt: the countdown to the server's deadline, and answers saved as the hire works.
  document.querySelectorAll(".quiz[data-deadline]").forEach((quiz) => {
    // The server's deadline may move while the page is open (a mentor grants extra time):
    // every save brings back the seconds left, and the clock asks once more before it submits.
    let deadline = new Date(quiz.dataset.deadline).getTime();
    const label = quiz.querySelector("[data-countdown]");
    const state = quiz.querySelector("[data-save-state]");
    const form = quiz.querySelector("form.quiz-form");
    const csrf = form.querySelector("input[name=csrf_token]").value;
    const tick = () => {
      const left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      label.textContent = `${numbers.format(Math.floor(left / 60))}:${String(left % 60).padStart(2, "0")}`;
      quiz.querySelector(".countdown").classList.toggle("low", left < 60);
      if (left === 0) {
        if (form.dataset.sent) return;
        const first = form.querySelector("fieldset.question");
        const ask = first ? save(first) : Promise.resolve(null);
        ask.then((seconds) => {
          if (seconds) { window.setTimeout(tick, 1000); return; }
          if (!form.dataset.sent) { form.dataset.sent = "1"; form.submit(); }
        });
        return;
      }
      window.setTimeout(tick, 1000);
    };
    // Saves go one at a time: two answers saved at once would race for the attempt,
    // and "Saved" shows only when nothing typed is still waiting to go out.
    let queue = Promise.resolve(null);
    let inFlight = 0;
    let outcome = "saved";
    const waiting = new Set();
    const settle = () => {
      if (inFlight === 0 && waiting.size === 0) state.textContent = state.dataset[outcome];
    };
    const send = async (fieldset) => {
      const data = new FormData();
      data.append("csrf_token", csrf);
      const prefix = fieldset.dataset.prefix;
      fieldset.querySelectorAll("input, select, textarea").forEach((el) => {
        if (!el.name.startsWith(prefix) || el.name.endsWith("present")) return;
        if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
        data.append(el.name.slice(prefix.length), el.value);
      });
      try {
        const response = await fetch(quiz.dataset.saveUrl + fieldset.dataset.position, { method: "POST", body: data });
        outcome = response.ok ? "saved" : "failed";
        if (response.status === 409) window.location.reload();
        if (!response.ok) return null;
        const body = await response.json();
        if (typeof body.seconds_left === "number") deadline = Date.now() + body.seconds_left * 1000;
        return body.seconds_left;
      } catch (err) {
        outcome = "offline";
        return null;
      }
    };
    const save = (fieldset) => {
      inFlight += 1;
      state.textContent = state.dataset.saving;
      const done = queue.then(() => send(fieldset));
      queue = done.catch(() => null).finally(() => { inFlight -= 1; settle(); });
      return done;
    };
    form.querySelectorAll("fieldset.question").forEach((fieldset) => {
      let timer;
      fieldset.addEventListener("change", () => {
        window.clearTimeout(timer);
        waiting.delete(fieldset);
        save(fieldset);
      });
      fieldset.addEventListener("input", () => {
        window.clearTimeout(timer);
        waiting.add(fieldset);
        state.textContent = state.dataset.saving;
        timer = window.setTimeout(() => { waiting.delete(fieldset); save(fieldset); }, 800);
      });
    });
    tick();
  });

  // The planner's page: the day's figures follow the recruiter's ticks and moves, computed
  // with the server's formulas (overbooking.evaluate_day) from the data it hands over; the
  // server computes them again on submit. A moved candidate's row goes under their slot.
  document.querySelectorAll("form[data-plan]").forEach((form) => {
    const data = JSON.parse(form.querySelector("[data-plan-data]").textContent);
    const bySlot = new Map(data.slots.map((slot) => [String(slot.index), slot]));
    const written = (x, digits) => {
      const [whole, part] = x.toFixed(digits).split(".");
      const sign = whole.startsWith("-") ? "-" : "";
      const digitsOnly = sign ? whole.slice(1) : whole;
      const grouped = digitsOnly.length > 3 ? digitsOnly.replace(/\B(?=(\d{3})+(?!\d))/g, data.group) : digitsOnly;
      return sign + grouped + (part ? data.decimal + part : "");
    };
    const convolve = (a, b) => {
      const out = new Array(a.length + b.length - 1).fill(0);
      a.forEach((x, i) => b.forEach((y, j) => { out[i + j] += x * y; }));
      return out;
    };
    const pmf = (chances) => chances.reduce((acc, p) => convolve(acc, [1 - p, p]), [1]);
    const step = (queue, arrivals, capacity) => {
      const present = convolve(queue, arrivals);
      const served = present.reduce((sum, p, k) => sum + p * Math.min(k, capacity), 0);
      const carried = [present.slice(0, capacity + 1).reduce((a, b) => a + b, 0), ...present.slice(capacity + 1)];
      return [served, carried];
    };
    const mean = (dist) => dist.reduce((sum, p, k) => sum + p * k, 0);
    const evaluate = (perSlot) => {
      let queue = [1], clean = [1], held = 0, waiting = 0, served;
      const last = data.slots.length - 1;
      data.slots.forEach((slot, t) => {
        const arrivals = pmf(perSlot[t]);
        [served, queue] = step(queue, arrivals, slot.capacity);
        held += served;
        waiting += mean(queue);
        [, clean] = step(clean, arrivals, slot.capacity);
        if (t < last) clean = clean.slice(0, data.slots[t + 1].capacity + 1);
      });
      const seats = data.slots.reduce((sum, slot) => sum + slot.capacity, 0);
      return {
        interviews_held: held, idle_minutes: (seats - held) * data.slotMinutes,
        waiting_minutes: waiting * data.slotMinutes, unseen: data.slots.length ? mean(queue) : 0,
        p_wait_over_one_slot: data.slots.length > 1 ? Math.max(0, 1 - clean.reduce((a, b) => a + b, 0)) : 0,
      };
    };
    const shown = {
      interviews_held: (x) => written(x, 1), idle_minutes: (x) => written(x, 0),
      waiting_minutes: (x) => written(x, 0), unseen: (x) => written(x, 1),
      p_wait_over_one_slot: (x) => data.percent.replace("{}", written(100 * x, 1)),
    };
    const update = () => {
      const perSlot = data.slots.map((slot) => [...slot.held]);
      form.querySelectorAll("tr[data-application]").forEach((row) => {
        const slot = bySlot.get(row.querySelector("select").value);
        if (slot && row.querySelector(".tick").checked) {
          perSlot[data.slots.indexOf(slot)].push(data.chances[row.dataset.application]);
        }
      });
      const figures = evaluate(perSlot);
      Object.entries(shown).forEach(([name, write]) => {
        const place = document.querySelector(`[data-metric="${name}"]`);
        if (place) place.textContent = write(figures[name]);
      });
      data.slots.forEach((slot, t) => {
        const place = form.querySelector(`tbody[data-slot="${slot.index}"] [data-arrivals]`);
        if (place) place.textContent = written(perSlot[t].reduce((a, b) => a + b, 0), 1);
      });
      const note = document.querySelector("[data-edited]");
      if (note) note.hidden = false;
    };
    form.addEventListener("change", (event) => {
      const row = event.target.closest("tr[data-application]");
      if (!row) return;
      if (event.target.tagName === "SELECT") {
        const value = event.target.value;
        const tick = row.querySelector(".tick");
        if (bySlot.has(value)) tick.checked = true;
        if (value === "") tick.checked = false;
        const home = form.querySelector(`tbody[data-slot="${bySlot.has(value) ? value : ""}"]`);
        if (home && row.parentElement !== home) home.appendChild(row);
        event.target.focus();
      }
      update();
    });
  });

  document.querySelectorAll("[data-progress-url]").forEach((box) => {
    const bar = box.querySelector("progress");
    const text = box.querySelector(".progress-text");
    const poll = async () => {
      try {
        const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
        const data = await response.json();
        const { done, total } = data.job;
        if (total) {
          bar.value = Math.round((100 * done) / total);
          text.textContent = `${numbers.format(done)} / ${numbers.format(total)}`;
        }
        if (["done", "failed", "dropped"].includes(data.batch_status)) {
          window.location.reload();
          return;
        }
      } catch (err) {
        text.textContent = "…";
      }
      window.setTimeout(poll, 1000);
    };
    poll();
  });
});

// Small progressive enhancements; the pages work without them. No inline script (CSP).
document.addEventListener("DOMContentLoaded", () => {
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

  // The receptionist's screen: one-tap actions without a page load, and a refresh every 10 seconds.
  document.querySelectorAll("[data-live-url]").forEach((desk) => {
    const live = desk.querySelector(".desk-live");
    const refresh = async () => {
      try {
        const response = await fetch(desk.dataset.liveUrl, { headers: { "X-Requested-With": "fetch" } });
        if (response.ok) live.innerHTML = await response.text();
      } catch (err) {
        /* offline for a moment: keep the last picture */
      }
    };
    live.addEventListener("submit", async (event) => {
      const form = event.target.closest("form.desk-action");
      if (!form) return;
      event.preventDefault();
      form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
      const response = await fetch(form.action, {
        method: "POST", body: new FormData(form), headers: { "X-Requested-With": "fetch" },
      });
      if (response.ok) live.innerHTML = await response.text();
      else await refresh();
    });
    window.setInterval(refresh, 10000);
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
          text.textContent = `${done} / ${total}`;
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

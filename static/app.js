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

// marketgen serve: reloads the page when the site is rebuilt, and shows content errors in an
// overlay until they are fixed. Served only by `marketgen serve`, never written by `build`.
(() => {
  const base = "/_marketgen/";
  let overlay = null;

  function show(text) {
    if (!text) {
      if (overlay) overlay.remove();
      overlay = null;
      return;
    }
    if (!overlay) {
      const style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = base + "overlay.css";
      document.head.append(style);
      overlay = document.createElement("section");
      overlay.id = "marketgen-overlay";
      overlay.setAttribute("role", "alert");
      const title = document.createElement("h2");
      title.textContent = "Content errors: the last good site is still shown";
      const body = document.createElement("pre");
      overlay.append(title, body);
      document.body.append(overlay);
    }
    overlay.querySelector("pre").textContent = text;
  }

  const events = new EventSource(base + "events");
  events.addEventListener("reload", () => location.reload());
  // A status event's data is its text as a JSON string: "" once the content is fixed.
  events.addEventListener("status", (e) => show(JSON.parse(e.data)));
  // Once the stream is open (and again after it reconnects), nothing more is missed: the
  // current errors are fetched then, and `data-live` tells tests the page is listening.
  events.addEventListener("open", () => {
    fetch(base + "status")
      .then((r) => r.text())
      .then(show)
      .catch(() => {})
      .finally(() => {
        document.documentElement.dataset.live = "open";
      });
  });
})();

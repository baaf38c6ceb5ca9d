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

  fetch(base + "status").then((r) => r.text()).then(show).catch(() => {});
  const events = new EventSource(base + "events");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("status", (e) => show(e.data));
})();

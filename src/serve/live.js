// marketgen serve: reloads the page when the site is rebuilt, and shows content errors in an
// overlay until they are fixed. Served only by `marketgen serve`, never written by `build`.
(() => {
  const base = "/_marketgen/";
  let overlay = null;

  // A status is a headline (what is shown meanwhile) and the diagnostics on the lines after.
  function show(status) {
    const at = status.indexOf("\n");
    const headline = at < 0 ? status : status.slice(0, at);
    const text = at < 0 ? "" : status.slice(at + 1);
    // While no build has passed, the page is the diagnostics themselves: keep it current.
    const page = document.getElementById("marketgen-problems");
    if (page) {
      if (status) {
        page.querySelector("h1").textContent = headline;
        page.querySelector("pre").textContent = text;
      }
      return;
    }
    if (!status) {
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
      overlay.append(document.createElement("h2"), document.createElement("pre"));
      document.body.append(overlay);
    }
    overlay.querySelector("h2").textContent = headline;
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

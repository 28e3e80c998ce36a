// Progressive enhancement only: every page works without this file.
// Show each <time data-local> in the reader's own time zone, with the zone named.
document.addEventListener("DOMContentLoaded", () => {
  for (const node of document.querySelectorAll("time[data-local]")) {
    const when = new Date(node.getAttribute("datetime"));
    if (Number.isNaN(when.getTime())) continue;
    node.textContent = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit",
      timeZoneName: "short",
    }).format(when);
  }
});

// Progressive enhancement only: every page works without this file. The site's
// Content-Security-Policy allows no inline script or on...= handler: behaviour lives here.
document.addEventListener("DOMContentLoaded", () => {
  // Show each <time data-local> in the reader's own time zone, with the zone named.
  for (const node of document.querySelectorAll("time[data-local]")) {
    const when = new Date(node.getAttribute("datetime"));
    if (Number.isNaN(when.getTime())) continue;
    node.textContent = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit",
      timeZoneName: "short",
    }).format(when);
  }

  // A <select data-submit-on-pick> (the language menu) applies a choice picked with the
  // pointer at once. From the keyboard, arrowing through it only moves the choice: its
  // form's button applies it, so the site does not switch at each arrow key.
  for (const select of document.querySelectorAll("select[data-submit-on-pick]")) {
    let byKeyboard = false;
    select.addEventListener("keydown", () => { byKeyboard = true; });
    select.addEventListener("pointerdown", () => { byKeyboard = false; });
    select.addEventListener("change", () => {
      if (!byKeyboard) select.form.requestSubmit();
    });
  }

  // On a phone a table's rows become cards (ascent.css, table.stacked): each cell is
  // given its column's name to show above it. Tables with merged cells, and long lists
  // read by comparing rows (table.grid: the board, the staff list), keep their grid and
  // scroll in their box, as they do without this file.
  for (const table of document.querySelectorAll(".table-wrap table, .table-scroll table")) {
    const head = table.tHead && table.tHead.rows.length === 1 ? table.tHead.rows[0] : null;
    if (!head || table.classList.contains("grid") || table.querySelector("[colspan], [rowspan]")) continue;
    const names = Array.from(head.cells, (cell) => cell.textContent.trim());
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        Array.from(row.cells).forEach((cell, i) => {
          if (names[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", names[i]);
        });
      }
    }
    table.classList.add("stacked");
  }
});

// Tell the server the reader's time zone (a cookie), so that the pages it renders show
// every date and time in it; the page is not reloaded: the next one uses it.
(() => {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const known = document.cookie.split("; ").find((c) => c.startsWith("tz="));
    if (zone && (!known || decodeURIComponent(known.slice(3)) !== zone)) {
      const secure = location.protocol === "https:" ? "; Secure" : "";
      document.cookie = `tz=${encodeURIComponent(zone)}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
    }
  } catch (error) {
    // no Intl: times stay in UTC, labelled so
  }
})();

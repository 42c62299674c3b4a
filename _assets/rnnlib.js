/* Reader fixes for the book's pages (loaded on every page, after sphinx-togglebutton).
 *
 * 1. A solution opens from anywhere on its bar. sphinx-exercise puts a link back to the exercise in
 *    the title of a solution dropdown; a click on it followed the link, left the solution closed and
 *    made sphinx-togglebutton's handler throw "button is not defined". A click on the title's text or
 *    link is turned into a click on the toggle button (a click with a modifier key still follows the
 *    link, so the exercise stays reachable).
 * 2. A figure shown narrower than it was drawn (on a phone) opens at full size in a new tab when tapped.
 * 3. A table wider than the column scrolls inside its box, and the box says so.
 */
"use strict";

document.addEventListener("click", (event) => {
  const title = event.target.closest(".admonition.dropdown > .admonition-title, .admonition.toggle > .admonition-title");
  if (!title || event.target === title || event.target.closest(".toggle-button")) return;
  if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  const toggle = title.querySelector(".toggle-button");
  if (!toggle) return;
  event.preventDefault();
  event.stopPropagation();
  toggle.click();
}, true);

const rnnlibShrunkImages = () => document.querySelectorAll("article.bd-article figure img, article.bd-article .cell_output img");

const rnnlibMarkShrunk = () => {
  for (const img of rnnlibShrunkImages()) {
    if (img.closest("a, .rnnlib-explorer")) continue;
    const drawn = parseFloat(img.getAttribute("width") || img.style.width) || img.naturalWidth / 2;
    img.classList.toggle("rnnlib-zoomable", img.getBoundingClientRect().width < 0.98 * drawn);
  }
  for (const box of document.querySelectorAll("article.bd-article .pst-scrollable-table-container")) {
    box.classList.toggle("rnnlib-scrolls", box.scrollWidth > box.clientWidth + 1);
  }
};

document.addEventListener("click", (event) => {
  const img = event.target.closest("img.rnnlib-zoomable");
  if (img) window.open(img.currentSrc || img.src, "_blank", "noopener");
});

window.addEventListener("load", rnnlibMarkShrunk);
window.addEventListener("resize", rnnlibMarkShrunk);

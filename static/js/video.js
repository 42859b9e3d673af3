// External videos (Vimeo, YouTube) are loaded only after the viewer's click: until then the
// page holds the player in an inert <template>, so no request reaches the platform. Without
// this script the same link leads to the video on the platform itself.
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-video-consent-load]");
  if (!link) return;
  var box = link.closest("[data-video-consent]");
  var template = box && box.querySelector("template");
  if (!template || !template.content.querySelector("iframe")) return; // follow the link
  event.preventDefault();
  var player = document.createElement("div");
  player.className = "block-video__player";
  player.appendChild(template.content.cloneNode(true));
  box.replaceWith(player);
  var frame = player.querySelector("iframe");
  if (!frame.getAttribute("title")) frame.setAttribute("title", box.dataset.title);
  frame.focus();
});

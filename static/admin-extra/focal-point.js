// The photo page's focal point: a click on the preview sets where crops
// centre (the two number fields below it stay the way to type it), and a
// marker shows the point chosen.
(function () {
  "use strict";

  function setUp() {
    var picture = document.querySelector(".field-preview img");
    var across = document.getElementById("id_focal_x");
    var down = document.getElementById("id_focal_y");
    if (!picture || !across || !down) return;

    var frame = document.createElement("span");
    frame.className = "focal-point";
    picture.parentNode.insertBefore(frame, picture);
    frame.appendChild(picture);
    var marker = document.createElement("span");
    marker.className = "focal-point__marker";
    marker.setAttribute("aria-hidden", "true");
    frame.appendChild(marker);
    // In the editor's language, from the admin's JavaScript catalogue.
    var gettext = window.gettext || String;
    picture.title = gettext("Click where the crops should centre");

    function show() {
      marker.style.left = (parseFloat(across.value) || 0) * 100 + "%";
      marker.style.top = (parseFloat(down.value) || 0) * 100 + "%";
    }

    picture.addEventListener("click", function (event) {
      var box = picture.getBoundingClientRect();
      across.value = ((event.clientX - box.left) / box.width).toFixed(3);
      down.value = ((event.clientY - box.top) / box.height).toFixed(3);
      show();
    });
    across.addEventListener("input", show);
    down.addEventListener("input", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();

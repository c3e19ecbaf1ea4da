// Admin pages: after an htmx swap, move focus to the new content's
// [data-ga-focus] element and announce [data-ga-status] (or an alert's
// [data-gb-status]) text in the live
// region. No dependencies; htmx does the rest.
(function () {
	"use strict";
	document.addEventListener("htmx:after:swap", function (e) {
		var root = (e.detail && e.detail.target) || document;
		var focus = root.querySelector && root.querySelector("[data-ga-focus]");
		if (focus) {
			if (!focus.hasAttribute("tabindex")) focus.setAttribute("tabindex", "-1");
			focus.focus();
		}
		var status = root.querySelector && root.querySelector("[data-ga-status], [data-gb-status]");
		var live = document.getElementById("ga-status");
		if (status && live) live.textContent = status.textContent;
	});
})();

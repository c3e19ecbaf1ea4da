// Admin pages: after an htmx swap, move focus to the new content's
// [data-ga-focus] element and announce [data-ga-status] (or an alert's
// [data-gb-status]) text in the live region. No dependencies.
(function () {
	"use strict";
	document.addEventListener("htmx:after:swap", function (e) {
		// htmx 4 passes {ctx}; the swapped element is ctx.target. Without it,
		// do nothing rather than grab focus from wherever the user is typing.
		var ctx = e.detail && e.detail.ctx;
		var root = ctx && ctx.target;
		if (!root) return;
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

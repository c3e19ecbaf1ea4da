// Widget links: Copy buttons next to each snippet. The buttons stay hidden
// without JavaScript, where the read-only fields can still be selected.
(function () {
	"use strict";
	function copy(field) {
		if (navigator.clipboard && window.isSecureContext) {
			return navigator.clipboard.writeText(field.value);
		}
		field.focus();
		field.select();
		return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy refused"));
	}
	function setup(root) {
		var buttons = root.querySelectorAll("[data-ga-copy]");
		Array.prototype.forEach.call(buttons, function (b) {
			var field = document.getElementById(b.getAttribute("data-ga-copy"));
			if (!field || b.dataset.gaReady) return;
			b.dataset.gaReady = "1";
			b.hidden = false;
			var label = b.firstChild.nodeValue;
			b.addEventListener("click", function () {
				copy(field).then(function () {
					b.firstChild.nodeValue = b.getAttribute("data-ga-copied");
					b.setAttribute("data-ga-done", "");
					var live = document.getElementById("ga-status");
					if (live) live.textContent = b.getAttribute("data-ga-copied");
					setTimeout(function () {
						b.firstChild.nodeValue = label;
						b.removeAttribute("data-ga-done");
					}, 2000);
				}, function () {
					field.focus();
					field.select();
				});
			});
		});
	}
	if (document.readyState === "loading") {
		document.addEventListener("DOMContentLoaded", function () { setup(document); });
	} else {
		setup(document);
	}
})();

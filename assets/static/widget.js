// groupbook widget behaviour: iframe height and scroll messages, focus and
// announcements after htmx swaps, the Book another limit and the seat
// stepper. Loaded with defer after htmx. Every listener is delegated on
// document, so content that htmx swaps in works without re-binding. The
// server re-checks everything this file enforces; it only spares a round
// trip.
(function () {
  'use strict';

  var doc = document;
  var root = doc.documentElement;
  // The stepper's -/+ buttons are hidden by CSS until this class is set, so
  // a page without JS shows only controls that work.
  root.classList.add('gb-js');

  // ---- Talking to the embedding page -----------------------------------

  var framed = window.parent !== window;
  var lastHeight = -1;
  var queued = false;
  var scrollTo = null;

  function bodyData(key) {
    return (doc.body && doc.body.dataset[key]) || '';
  }

  function post(msg) {
    msg.frame = bodyData('gbFrame');
    // The target origin is the host page's origin when the server knows it.
    // "*" is the fallback because a wrong guess would silently drop the
    // message, and what we send (a height, a scroll offset, "Esc pressed")
    // reveals nothing about the booking.
    window.parent.postMessage(msg, bodyData('gbParent') || '*');
  }

  // Height of the content, not of the viewport: documentElement.scrollHeight
  // never drops below the iframe's current height, so the frame could grow
  // but never shrink back (a long event list, then a short contact form).
  // body is flow-root with no margin in framed mode (widget.css), so its
  // box is the content; scrollHeight adds anything that overflows it.
  function contentHeight() {
    var body = doc.body;
    if (!body) return 0;
    return Math.ceil(Math.max(body.getBoundingClientRect().height, body.scrollHeight));
  }

  function flush() {
    queued = false;
    var h = contentHeight();
    if (h !== lastHeight) {
      lastHeight = h;
      post({type: 'groupbook:height', height: h});
    }
    if (scrollTo) {
      // Sent after the height, so the host has resized the frame before it
      // works out whether this point is on screen.
      var top = Math.max(0, Math.round(scrollTo.getBoundingClientRect().top + window.pageYOffset));
      scrollTo = null;
      post({type: 'groupbook:scroll', top: top});
    }
  }

  // Batched: a swap, the settle after it and the ResizeObserver usually fire
  // together. The timer backs up requestAnimationFrame, which browsers pause
  // in cross-origin frames that are off screen.
  function report() {
    if (!framed || queued) return;
    queued = true;
    var once = function () { if (queued) flush(); };
    window.requestAnimationFrame(once);
    setTimeout(once, 100);
  }

  if (framed) {
    window.addEventListener('load', report);
    window.addEventListener('resize', report);
    if (window.ResizeObserver && doc.body) new ResizeObserver(report).observe(doc.body);
    report();
    // Keys typed in the frame never reach the host page, so the host's modal
    // would not see Esc; tell it. Only when nothing in here used the key
    // (an open <select> does).
    doc.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && !e.defaultPrevented) post({type: 'groupbook:escape'});
    });
  }

  // ---- After a swap: focus, announce, resize ----------------------------

  function firstIn(nodes, selector) {
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      if (n.nodeType !== 1) continue;
      if (n.matches(selector)) return n;
      var found = n.querySelector(selector);
      if (found) return found;
    }
    return null;
  }

  function announce(text) {
    var live = doc.getElementById('gb-status');
    if (!live || !text) return;
    // Emptied first and refilled a moment later, so the same message twice
    // in a row (the same error again) is read again.
    live.textContent = '';
    setTimeout(function () { live.textContent = text; }, 100);
  }

  // htmx 4 fires htmx:after:settle once per swapped target (the main one and
  // any out-of-band ones) with the inserted nodes in detail.newContent, which
  // is exactly "the swapped content".
  doc.addEventListener('htmx:after:settle', function (e) {
    var nodes = (e.detail && e.detail.newContent) || [e.target];
    init();

    var focus = firstIn(nodes, '[data-gb-focus]');
    if (focus) {
      if (!focus.hasAttribute('tabindex') && !focus.matches('a[href],button,input,select,textarea')) {
        focus.setAttribute('tabindex', '-1');
      }
      focus.focus({preventScroll: true});
      if (framed) {
        // The frame itself never scrolls (it is as tall as its content); the
        // host page has to, so it gets told where.
        scrollTo = focus;
      } else {
        focus.scrollIntoView({block: 'nearest'});
      }
    }

    var text = [];
    nodes.forEach(function (n) {
      if (n.nodeType !== 1) return;
      if (n.matches('[data-gb-status]')) text.push(n.textContent.trim());
      n.querySelectorAll('[data-gb-status]').forEach(function (s) { text.push(s.textContent.trim()); });
    });
    announce(text.filter(Boolean).join(' '));
    report();
  });
  doc.addEventListener('htmx:after:swap', report);

  // ---- Book another: at most N extra events ------------------------------

  function limitExtra(box) {
    var max = parseInt(box.getAttribute('data-gb-max-extra'), 10);
    if (isNaN(max)) return;
    var items = box.querySelectorAll('input[type=checkbox][name=also]');
    var checked = 0;
    items.forEach(function (i) { if (i.checked) checked++; });
    var full = checked >= max;
    items.forEach(function (i) {
      // Boxes the server rendered disabled (an event that is full) stay so;
      // only the ones disabled here are enabled again.
      if (i.disabled && !i.hasAttribute('data-gb-limited')) return;
      var off = full && !i.checked;
      i.disabled = off;
      i.toggleAttribute('data-gb-limited', off);
      i.setAttribute('aria-disabled', String(off));
    });
  }

  // ---- Seat stepper --------------------------------------------------------

  function int(v, fallback) {
    var n = parseInt(v, 10);
    return isNaN(n) ? fallback : n;
  }

  // The seats of one booking must fit in every selected event, so the
  // bound is the smallest of the link's maximum, the seats left in the main
  // event and in each ticked extra one.
  function bounds(input) {
    var max = Math.min(int(input.getAttribute('data-gb-link-max'), Infinity),
      int(input.getAttribute('data-gb-primary-left'), Infinity));
    (input.form || doc).querySelectorAll('input[type=checkbox][name=also]').forEach(function (b) {
      if (b.checked) max = Math.min(max, int(b.getAttribute('data-left'), Infinity));
    });
    var min = int(input.min, 1);
    return {min: min, max: Math.max(min, max)};
  }

  function syncStepper(stepper, delta) {
    var input = stepper.querySelector('input[name=seats]');
    if (!input) return;
    var b = bounds(input);
    if (b.max !== Infinity) input.max = String(b.max);
    var value = int(input.value, b.min);
    var next = Math.min(b.max, Math.max(b.min, value + (delta || 0)));
    // While the field is empty (mid-typing) it is left alone; the server
    // will say if it is wrong.
    if (input.value !== '' && next !== value || delta) {
      input.value = String(next);
      input.dispatchEvent(new Event('change', {bubbles: true}));
    }
    stepper.querySelectorAll('[data-gb-step]').forEach(function (btn) {
      var step = int(btn.getAttribute('data-gb-step'), 0);
      btn.disabled = step < 0 ? next <= b.min : next >= b.max;
    });
  }

  function init() {
    doc.querySelectorAll('[data-gb-max-extra]').forEach(limitExtra);
    doc.querySelectorAll('.gb-stepper').forEach(function (s) { syncStepper(s, 0); });
  }

  doc.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('.gb-stepper [data-gb-step]');
    if (!btn || btn.disabled) return;
    e.preventDefault(); // in case a template forgot type="button"
    syncStepper(btn.closest('.gb-stepper'), int(btn.getAttribute('data-gb-step'), 0));
  });

  doc.addEventListener('change', function (e) {
    var t = e.target;
    if (t.matches('input[type=checkbox][name=also]')) {
      var box = t.closest('[data-gb-max-extra]');
      if (box) limitExtra(box);
      (t.form || doc).querySelectorAll('.gb-stepper').forEach(function (s) { syncStepper(s, 0); });
    } else if (t.matches('.gb-stepper input[name=seats]') && !t.gbSyncing) {
      t.gbSyncing = true;
      syncStepper(t.closest('.gb-stepper'), 0);
      t.gbSyncing = false;
    }
  });

  // Typing only updates the buttons; clamping waits for change, so "1" on
  // the way to "12" is not corrected under the user's fingers.
  doc.addEventListener('input', function (e) {
    var t = e.target;
    if (!t.matches('.gb-stepper input[name=seats]')) return;
    var b = bounds(t);
    var v = int(t.value, b.min);
    t.closest('.gb-stepper').querySelectorAll('[data-gb-step]').forEach(function (btn) {
      btn.disabled = int(btn.getAttribute('data-gb-step'), 0) < 0 ? v <= b.min : v >= b.max;
    });
  });

  // Back/forward can restore ticked boxes from the page cache after load.
  window.addEventListener('pageshow', init);
  init();
})();

// groupbook widget behaviour: iframe height and scroll messages, focus and
// announcements after htmx swaps, history in a frame and on the event page,
// the Book another limit and the seat stepper. Loaded with defer after
// htmx. Every listener is delegated on document, so content that htmx swaps
// in works without re-binding. The server re-checks everything this file
// enforces; it only spares a round trip.
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
    // embed.js's dialog keeps the focus inside it; Shift+Tab from its Close
    // button comes round to the frame's last control, which only this
    // side can reach. Only our parent may ask, and only for this frame.
    window.addEventListener('message', function (e) {
      var m = e.data;
      var parent = bodyData('gbParent');
      if (e.source !== window.parent || (parent && e.origin !== parent)) return;
      if (!m || typeof m !== 'object' || m.type !== 'groupbook:focus' || m.frame !== bodyData('gbFrame')) return;
      var all = tabbable();
      var el = m.at === 'first' ? all[0] : all[all.length - 1];
      if (el) el.focus();
    });
    // In a frame every step replaces the history entry instead of adding
    // one: the frame's entries are the host page's too, and the host's Back
    // button should leave the page, not step back through the booking. A
    // direct link (not framed) keeps htmx's push, so Back goes a step back.
    doc.addEventListener('htmx:before:history:update', function (e) {
      if (e.detail && e.detail.history) e.detail.history.type = 'replace';
    });
  }

  // Controls that Tab reaches, in document order.
  function tabbable() {
    var sel = 'a[href],button,input:not([type=hidden]),select,textarea,[tabindex]';
    return Array.prototype.filter.call(doc.querySelectorAll(sel), function (el) {
      return el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0;
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
    setBounds(stepper, next, b);
  }

  // A button at its bound is aria-disabled rather than disabled: a disabled
  // button drops the focus (to the page's body) the moment the last press
  // reaches the bound, and a keyboard user would have to find their way
  // back. Clicks on it are ignored below.
  function setBounds(stepper, value, b) {
    stepper.querySelectorAll('[data-gb-step]').forEach(function (btn) {
      var step = int(btn.getAttribute('data-gb-step'), 0);
      btn.setAttribute('aria-disabled', String(step < 0 ? value <= b.min : value >= b.max));
    });
  }

  function init() {
    doc.querySelectorAll('[data-gb-max-extra]').forEach(limitExtra);
    doc.querySelectorAll('.gb-stepper').forEach(function (s) { syncStepper(s, 0); });
  }

  doc.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('.gb-stepper [data-gb-step]');
    if (!btn) return;
    e.preventDefault(); // in case a template forgot type="button"
    if (btn.getAttribute('aria-disabled') === 'true') return;
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
    setBounds(t.closest('.gb-stepper'), int(t.value, b.min), b);
  });

  // ---- The event page's history entry keeps the selection ----------------

  // htmx restores a history entry by fetching its URL again, and the event
  // page's URL carries no selection: Back from the contact step showed the
  // boxes unticked and one seat. So the entry's URL follows the form, in the
  // also=/seats= form the contact step's pencil link uses, whenever the
  // selection changes and when the form leaves the page (Continue, a
  // weekday chip, View all dates). data-gb-here is the page's own URL
  // without the selection (with its weekday filter and frame parameters).
  function keepSelection(form) {
    var here = form.getAttribute('data-gb-here');
    if (!here || !window.history || !history.replaceState) return;
    var url = new URL(here, location.href);
    new FormData(form).forEach(function (value, name) {
      if (name === 'also' || name === 'seats') url.searchParams.append(name, value);
    });
    history.replaceState(history.state, '', url.pathname + url.search);
  }

  doc.addEventListener('submit', function (e) {
    if (e.target.matches('form[data-gb-here]')) keepSelection(e.target);
  }, true);
  doc.addEventListener('change', function (e) {
    var form = e.target.form;
    if (form && form.matches('form[data-gb-here]')) keepSelection(form);
  });

  // Back/forward can restore ticked boxes from the page cache after load.
  window.addEventListener('pageshow', init);
  init();
})();

// groupbook embed: turns
//   <script src="https://BOOKING-HOST/embed.js" data-groupbook="SLUG" async></script>
// into the booking widget's iframe, inline or behind a floating "Book"
// button. It runs on other people's pages, so it is ES2017, depends on
// nothing, defines no globals and styles only the elements it creates.
(function () {
  'use strict';

  var MAX_HEIGHT = 20000;
  var doc = document;
  // The button's and the dialog's texts in every language, filled in by
  // the server from the locale files (locales/messages/embed.*.toml) when
  // it serves this file, so nothing a visitor reads is written here.
  var LABELS = {/*groupbook:labels*/};

  // The texts for a language: data-lang, else the host page's own
  // language, else the visitor's browser, else English. "pt-PT" and "pt"
  // both find Portuguese.
  function labelsFor(wanted) {
    for (var i = 0; i < wanted.length; i++) {
      var tag = String(wanted[i] || '').toLowerCase();
      if (LABELS[tag]) return LABELS[tag];
      if (LABELS[tag.split('-')[0]]) return LABELS[tag.split('-')[0]];
    }
    return LABELS.en || {};
  }

  function uid() {
    var a = new Uint32Array(2);
    (window.crypto || window.msCrypto).getRandomValues(a);
    return 'gb' + a[0].toString(36) + a[1].toString(36);
  }

  function whenBody(fn) {
    if (doc.body && doc.readyState !== 'loading') fn();
    else doc.addEventListener('DOMContentLoaded', fn);
  }

  function css(el, styles) {
    // Property by property through CSSOM: a style attribute would be
    // refused by a host page whose CSP forbids inline styles.
    Object.keys(styles).forEach(function (k) { el.style[k] = styles[k]; });
    return el;
  }

  function setup(script) {
    if (script.groupbookReady) return;
    script.groupbookReady = true;

    var d = script.dataset;
    var slug = d.groupbook;
    var origin;
    try {
      origin = new URL(script.src, location.href).origin;
    } catch (e) {
      origin = '';
    }
    if (!slug || !origin || origin === 'null') {
      console.warn('groupbook: embed.js needs a src and data-groupbook="slug"');
      return;
    }

    var id = uid();
    var url = new URL(origin + '/w/' + encodeURIComponent(slug));
    url.searchParams.set('embed', '1');
    url.searchParams.set('parent', location.origin);
    url.searchParams.set('gbframe', id);
    if (d.lang) url.searchParams.set('lang', d.lang);
    ['source', 'medium', 'campaign'].forEach(function (k) {
      var v = d['utm' + k.charAt(0).toUpperCase() + k.slice(1)];
      if (v) url.searchParams.set('utm_' + k, v);
    });

    var text = labelsFor([d.lang, doc.documentElement.lang].concat(navigator.languages || [navigator.language]));
    var title = d.title || text.title;
    var iframe = null;
    var modal = null; // set in button mode
    var scroller = null; // the element that scrolls around the frame; null = window

    function makeFrame(lazy) {
      iframe = doc.createElement('iframe');
      iframe.src = url.href;
      iframe.title = title;
      iframe.className = 'groupbook-frame';
      iframe.setAttribute('allow', 'clipboard-write');
      if (lazy) iframe.setAttribute('loading', 'lazy');
      return css(iframe, {display: 'block', width: '100%', border: '0', minHeight: '480px'});
    }

    // Only messages from our own frame, from the widget's origin and naming
    // this frame's id count: anything else on the page can post messages,
    // and several widgets may share it.
    window.addEventListener('message', function (e) {
      if (!iframe || e.origin !== origin || e.source !== iframe.contentWindow) return;
      var m = e.data;
      if (!m || typeof m !== 'object' || m.frame !== id) return;
      if (m.type === 'groupbook:height') {
        var h = Math.ceil(Number(m.height));
        if (!(h > 0)) return;
        // The 480px floor only holds the place until the real height is
        // known; a short step should not leave a gap below it.
        css(iframe, {height: Math.min(h, MAX_HEIGHT) + 'px', minHeight: '0'});
      } else if (m.type === 'groupbook:scroll') {
        reveal(Number(m.top) || 0);
      } else if (m.type === 'groupbook:escape' && modal) {
        close(); // a no-op unless the dialog is open
      }
    });

    // Brings a point of the frame into view when it is off screen, e.g. the
    // next step's heading after the frame shrank below the visitor's scroll
    // position. In the dialog the sticky close bar covers the top of the
    // scrolling panel, so the visible part starts below it.
    function reveal(top) {
      var y = iframe.getBoundingClientRect().top + top;
      var viewTop = 0;
      var viewHeight = window.innerHeight;
      if (scroller) {
        var inset = modal.bar.offsetHeight;
        viewTop = scroller.getBoundingClientRect().top + inset;
        viewHeight = scroller.clientHeight - inset;
      }
      if (y >= viewTop && y <= viewTop + viewHeight - 48) return;
      var by = y - viewTop - 16;
      if (scroller) scroller.scrollTop += by;
      else window.scrollBy(0, by);
    }

    if (d.mode !== 'button') {
      var frame = makeFrame(true);
      var insert = function () {
        var target = null;
        if (d.target) {
          try { target = doc.querySelector(d.target); } catch (e) { target = null; }
          if (!target) console.warn('groupbook: data-target matches nothing: ' + d.target);
        }
        if (target) target.appendChild(frame);
        else if (script.parentNode && !script.closest('head')) script.parentNode.insertBefore(frame, script.nextSibling);
        else doc.body.appendChild(frame);
      };
      // An async script can run before the rest of the page (its target
      // among it) has been parsed.
      if (d.target || !script.parentNode || script.closest('head')) whenBody(insert);
      else insert();
      return;
    }

    // ---- Button mode: a floating button that opens a modal dialog ----
    var color = d.color || '#2a6df4';
    var button = css(doc.createElement('button'), {
      position: 'fixed', right: '16px', bottom: '16px', zIndex: '2147483000',
      minHeight: '48px', padding: '12px 22px', border: '0', borderRadius: '999px',
      background: color, color: '#fff', font: '600 16px/1.2 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif',
      boxShadow: '0 4px 14px rgba(0,0,0,.25)', cursor: 'pointer'
    });
    button.type = 'button';
    button.className = 'groupbook-button';
    button.textContent = d.label || text.button;
    button.setAttribute('aria-haspopup', 'dialog');
    button.addEventListener('click', open);

    var saved = null;

    function onKey(e) {
      if (e.key === 'Escape') { e.preventDefault(); close(); }
    }

    function build() {
      modal = css(doc.createElement('div'), {
        position: 'fixed', top: '0', right: '0', bottom: '0', left: '0', zIndex: '2147483001',
        background: 'rgba(0,0,0,.5)', display: 'flex', alignItems: 'center', justifyContent: 'center',
        padding: 'min(24px, 3vw)'
      });
      // scroll-padding: when the browser scrolls a focused control into view
      // (Tab, Shift+Tab), it stops below the sticky close bar rather than
      // under it, and leaves room for the control's focus ring at the
      // bottom.
      var panel = css(doc.createElement('div'), {
        position: 'relative', width: '100%', maxWidth: '560px', maxHeight: '100%', overflow: 'auto', padding: '0 8px 8px', boxSizing: 'border-box',
        background: '#fff', borderRadius: '12px', boxShadow: '0 10px 40px rgba(0,0,0,.3)',
        overscrollBehavior: 'contain', scrollPaddingTop: '60px', scrollPaddingBottom: '16px'
      });
      panel.setAttribute('role', 'dialog');
      panel.setAttribute('aria-modal', 'true');
      panel.setAttribute('aria-label', title);
      var bar = css(doc.createElement('div'), {
        position: 'sticky', top: '0', display: 'flex', justifyContent: 'flex-end', background: '#fff', zIndex: '1'
      });
      // The browser's own focus ring, drawn inside the button: the button
      // sits at the panel's top edge, whose overflow would cut it outside.
      var closeBtn = css(doc.createElement('button'), {
        width: '44px', height: '44px', border: '0', background: 'transparent', color: '#222',
        font: '28px/1 system-ui,sans-serif', cursor: 'pointer', outlineOffset: '-4px'
      });
      closeBtn.type = 'button';
      closeBtn.textContent = '\u00d7';
      closeBtn.setAttribute('aria-label', d.closeLabel || text.close);
      closeBtn.addEventListener('click', close);
      bar.appendChild(closeBtn);

      // Focus stays in the dialog: tabbing past either end lands on these
      // and is sent round to the other end. Shift+Tab from Close goes to
      // the frame's last control; the host cannot reach into a frame from
      // another origin, so it focuses the frame and asks widget.js to
      // focus its last control.
      var head = doc.createElement('span');
      var tail = doc.createElement('span');
      head.tabIndex = tail.tabIndex = 0;
      head.addEventListener('focus', function () {
        iframe.focus();
        iframe.contentWindow.postMessage({type: 'groupbook:focus', frame: id, at: 'last'}, origin);
      });
      tail.addEventListener('focus', function () { closeBtn.focus(); });

      panel.appendChild(bar);
      panel.appendChild(makeFrame(false));
      modal.appendChild(head);
      modal.appendChild(panel);
      modal.appendChild(tail);
      modal.addEventListener('click', function (e) { if (e.target === modal) close(); });
      scroller = panel;
      modal.closeBtn = closeBtn;
      modal.bar = bar;
    }

    function isOpen() {
      return !!modal && modal.style.display !== 'none';
    }

    function open() {
      if (!modal) {
        build();
        doc.body.appendChild(modal);
      } else if (isOpen()) {
        return;
      }
      modal.style.display = 'flex';
      // Scroll lock: the page behind must not scroll under the dialog.
      saved = [doc.documentElement.style.overflow, doc.body.style.overflow];
      doc.documentElement.style.overflow = doc.body.style.overflow = 'hidden';
      doc.addEventListener('keydown', onKey);
      modal.closeBtn.focus();
    }

    function close() {
      if (!isOpen()) return;
      // Hidden, not removed: taking an iframe out of the document unloads
      // it, and reopening should show the step the visitor was on.
      modal.style.display = 'none';
      doc.documentElement.style.overflow = saved[0];
      doc.body.style.overflow = saved[1];
      doc.removeEventListener('keydown', onKey);
      button.focus();
    }

    whenBody(function () { doc.body.appendChild(button); });
  }

  // document.currentScript is this script while it first runs, async
  // included; it is null when the browser runs it some other way, and then
  // every tag with data-groupbook not yet set up is taken.
  var current = doc.currentScript;
  if (current && current.hasAttribute('data-groupbook')) {
    setup(current);
  } else {
    Array.prototype.forEach.call(doc.querySelectorAll('script[data-groupbook]'), setup);
  }
})();

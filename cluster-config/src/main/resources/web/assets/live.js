// Live inventory on the buyer's pages: a card sold or withdrawn is marked where it shows, a changed price is
// redrawn, without a reload. Progressive enhancement: the page works the same without this file or the socket.
// It speaks the event-bus bridge's JSON frames over the raw WebSocket of the app's own /eventbus (BrowserBridge):
// {"type":"register","address":…} out, {"type":"rec","address":…,"body":{…}} in (binary messages of UTF-8
// JSON), a ping every 5 s to stay alive.
(function () {
  'use strict';
  var root = document.querySelector('[data-live]');
  if (!root || !window.WebSocket || !window.JSON) { return; }
  var address = root.getAttribute('data-live');
  var seen = {};
  var retry = 1000;

  function byKey(key) {
    return Array.prototype.slice.call(document.querySelectorAll('[data-live-key="' + key.replace(/"/g, '') + '"]'));
  }

  function keysOf(event) {
    var keys = [event.listingKey];
    (event.cardIds || []).forEach(function (id) { keys.push('card:' + id); });
    return keys;
  }

  function markGone(el, sold) {
    if (el.classList.contains('live-gone')) { return; }
    el.classList.add('live-gone');
    el.setAttribute('data-live-state', sold ? 'sold' : 'withdrawn');
    el.querySelectorAll('form, .buy-buttons, .tile-actions').forEach(function (f) { f.remove(); });
    var note = document.createElement('p');
    note.className = 'live-note';
    note.setAttribute('role', 'status');
    note.textContent = sold ? 'Sold' : 'No longer listed';
    el.appendChild(note);
  }

  // a changed listing is redrawn from the page as the server renders it now: prices are the server's to compute
  function redraw(keys) {
    if (!window.fetch || !window.DOMParser) { return; }
    fetch(location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        keys.forEach(function (key) {
          var next = fresh.querySelectorAll('[data-live-key="' + key.replace(/"/g, '') + '"]');
          byKey(key).forEach(function (el, i) { if (next[i]) { el.replaceWith(document.importNode(next[i], true)); } });
        });
      }).catch(function () { /* the page stays as it was */ });
  }

  function apply(event) {
    if (!event || seen[event.eventId]) { return; }
    seen[event.eventId] = true; // delivery is at-least-once
    var keys = keysOf(event).filter(function (k) { return byKey(k).length > 0; });
    if (keys.length === 0) { return; }
    if (event.type === 'card.sold' || event.type === 'card.withdrawn') {
      keys.forEach(function (k) { byKey(k).forEach(function (el) { markGone(el, event.type === 'card.sold'); }); });
    } else if (event.type === 'card.updated') {
      redraw(keys);
    }
  }

  function connect() {
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/eventbus/websocket');
    var ping = null;
    ws.binaryType = 'arraybuffer'; // the bridge writes its frames as binary WebSocket messages
    ws.onopen = function () {
      retry = 1000;
      ws.send(JSON.stringify({ type: 'register', address: address }));
      ping = setInterval(function () { ws.send(JSON.stringify({ type: 'ping' })); }, 5000);
      root.setAttribute('data-live-connected', 'true');
    };
    ws.onmessage = function (m) {
      var frame;
      try {
        frame = JSON.parse(typeof m.data === 'string' ? m.data : new TextDecoder().decode(m.data));
      } catch (e) { return; }
      if (frame.type === 'rec' && frame.address === address) { apply(frame.body); }
    };
    ws.onclose = function () {
      clearInterval(ping);
      root.removeAttribute('data-live-connected');
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 60000);
    };
  }
  connect();
})();

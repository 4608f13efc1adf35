// Progressive enhancement shared by the apps' pages (an app lists it before its own script): everything works
// without it.
(function () {
  'use strict';

  // On a wide screen the filters sit open beside the grid.
  var details = document.querySelector('details.filters');
  if (details && window.matchMedia && window.matchMedia('(min-width: 1000px)').matches) { details.open = true; }

  // The order page follows its order while it settles.
  var settling = document.querySelector('[data-refresh]');
  if (settling) {
    setTimeout(function () { location.reload(); }, 1000 * Number(settling.getAttribute('data-refresh')));
  }

  // A card photo that doesn't load (a stale link at the image host) shows the placeholder a card without a photo
  // shows, not a broken-image box: <img data-fallback="PSA 10" data-fallback-size="large"> is swapped for it. Photos
  // that failed before this deferred script ran are found by their state, later ones by their error event.
  function photoFailed(img) {
    var box = document.createElement('div');
    box.className = ('placeholder ' + (img.getAttribute('data-fallback-size') || '')).trim();
    box.setAttribute('role', 'img');
    box.setAttribute('aria-label', 'Photo unavailable');
    var label = document.createElement('span');
    label.textContent = img.getAttribute('data-fallback');
    box.appendChild(label);
    img.replaceWith(box);
  }
  document.addEventListener('error', function (e) {
    var t = e.target;
    if (t && t.tagName === 'IMG' && t.hasAttribute('data-fallback')) { photoFailed(t); }
  }, true);
  Array.prototype.forEach.call(document.querySelectorAll('img[data-fallback]'), function (img) {
    if (img.complete && img.naturalWidth === 0) { photoFailed(img); }
  });

  window.SlabSite = {
    // Posts the forms marked data-enhance="<kind>" without leaving the page and hands their JSON answer to
    // onAnswer(body, form, button); any failure submits the form the ordinary way.
    postInPlace: function (kind, onAnswer) {
      document.addEventListener('submit', function (e) {
        var form = e.target;
        if (!form.matches || !form.matches('form[data-enhance="' + kind + '"]') || !window.fetch) { return; }
        e.preventDefault();
        var button = form.querySelector('button');
        fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)),
          headers: { 'X-Requested-With': 'fetch', Accept: 'application/json' } })
          .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
          .then(function (body) { onAnswer(body, form, button); })
          .catch(function () { form.submit(); });
      });
    }
  };
})();

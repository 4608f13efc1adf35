// Progressive enhancement of the shop pages: everything works without this file.
(function () {
  'use strict';

  // Filters without a reload: fetch the filtered page and swap the results in; the URL keeps the filters.
  var filters = document.querySelector('form[data-enhance="filters"]');
  var results = document.getElementById('results');
  if (filters && results && window.fetch && window.DOMParser) {
    var timer = null;
    var load = function () {
      var params = new URLSearchParams(new FormData(filters));
      Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) { params.delete(k); } });
      var url = filters.getAttribute('action') + (params.toString() ? '?' + params : '');
      fetch(url, { headers: { Accept: 'text/html' } }).then(function (r) { return r.text(); }).then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html').getElementById('results');
        if (next) {
          results.replaceWith(next);
          results = next;
          history.replaceState(null, '', url);
        }
      }).catch(function () { filters.submit(); });
    };
    filters.addEventListener('submit', function (e) { e.preventDefault(); load(); });
    filters.addEventListener('change', function () { clearTimeout(timer); timer = setTimeout(load, 150); });
  }

  // Add to cart without leaving the page (site.js); the header's badge counts the cart.
  window.SlabSite.postInPlace('cart', function (body, form, button) {
    document.querySelectorAll('[data-cart-count]').forEach(function (el) { el.textContent = body.cartCount; });
    if (button) { button.textContent = 'In cart'; button.disabled = true; }
  });

  // The manage page's theme preview follows the style and colour choices before they are saved.
  var preview = document.querySelector('[data-theme-preview]');
  var preset = document.getElementById('d-preset');
  var palette = document.getElementById('d-palette');
  if (preview && preset && palette) {
    var follow = function () {
      preview.className = 'theme-preview shop preset-' + preset.value + ' '
        + (palette.value === 'own' ? 'palette-custom' : 'palette-' + palette.value);
    };
    preset.addEventListener('change', follow);
    palette.addEventListener('change', follow);
  }
})();

// Progressive enhancement of the ThisOrThat pages: everything works without this file except the in-browser
// fairness check (verify.js), which is what it is for.
(function () {
  'use strict';

  // Flip cart / pull tray buttons without leaving the page (site.js); the header counts both.
  window.SlabSite.postInPlace('pick', function (body, form, button) {
    document.querySelectorAll('[data-flip-count]').forEach(function (el) { el.textContent = body.flipCount; });
    document.querySelectorAll('[data-pull-count]').forEach(function (el) { el.textContent = body.pullCount; });
    if (button && body.added) {
      button.textContent = /\/flip\/add$/.test(form.action) ? 'In flip cart' : 'In pull tray';
      button.disabled = true;
    }
  });

  var play = document.querySelector('.play-page');
  if (!play) { return; }
  var api = play.getAttribute('data-api');
  var getPlay = function () {
    return fetch(api, { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); });
  };

  // Back from the payment page: wait for the authorization, then show the reveal (animated once).
  if (play.hasAttribute('data-poll')) {
    var tries = 0;
    var poll = function () {
      tries++;
      getPlay().then(function (p) {
        if (p.revealedAt) {
          location.replace(location.pathname + '?reveal=1');
        } else if (p.status === 'VOID' || p.status === 'FAILED') {
          location.replace(location.pathname);
        } else {
          setTimeout(poll, tries < 40 ? 1500 : 5000);
        }
      }).catch(function () { setTimeout(poll, 5000); });
    };
    setTimeout(poll, 1000);
  }

  // The fairness check, in this browser, on the play as the API serves it.
  var panel = document.querySelector('[data-verify]');
  if (panel) {
    var summary = panel.querySelector('.verify-summary');
    var run = window.SlabVerify ? getPlay().then(window.SlabVerify.verify) : Promise.reject(new Error('verify.js missing'));
    run.then(function (results) {
      var failed = 0;
      results.forEach(function (c) {
        var li = panel.querySelector('[data-check="' + c.id + '"]');
        if (!li) { return; }
        li.classList.remove('pending');
        li.classList.add(c.ok ? 'pass' : 'fail');
        li.querySelector('.check-detail').textContent = c.detail;
        if (!c.ok) { failed++; }
      });
      summary.classList.add(failed ? 'fail' : 'pass');
      summary.textContent = failed ? failed + (failed === 1 ? ' check failed' : ' checks failed')
        + ': this play does not match its sealed commitment.' : 'All ' + results.length + ' checks pass: this play was fair.';
    }).catch(function (e) {
      summary.classList.add('fail');
      summary.textContent = 'The check could not run in this browser: ' + e.message;
    });
  }
})();

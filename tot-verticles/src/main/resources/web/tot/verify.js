// The fairness check of a revealed ThisOrThat play, recomputed from the published recipe with WebCrypto only
// (no code of the server's): the same file runs in the play page and, for the tests, in Node.
(function (root) {
  'use strict';

  var encoder = new TextEncoder();

  function hex(bytes) {
    return Array.from(new Uint8Array(bytes), function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }

  function unhex(text) {
    if (typeof text !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(text)) {
      throw new Error('not hex: ' + text);
    }
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) {
      out[i] = parseInt(text.substr(i * 2, 2), 16);
    }
    return out;
  }

  function subtle() {
    if (!root.crypto || !root.crypto.subtle) {
      throw new Error('WebCrypto is not available here (it needs https or localhost)');
    }
    return root.crypto.subtle;
  }

  /** 1. SHA-256 of the lowercase hex text of the server seed. */
  function seedHash(serverSeedHex) {
    return Promise.resolve(String(serverSeedHex).toLowerCase())
      .then(function (text) { return subtle().digest('SHA-256', encoder.encode(text)); }).then(hex);
  }

  /** 2. HMAC-SHA256(key = server seed bytes, message = client seed as UTF-8). */
  function outcomeBytes(serverSeedHex, clientSeed) {
    return Promise.resolve(serverSeedHex).then(unhex)
      .then(function (key) { return subtle().importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']); })
      .then(function (key) { return subtle().sign('HMAC', key, encoder.encode(clientSeed)); })
      .then(function (sig) { return new Uint8Array(sig); });
  }

  /** 3. FLIP: last byte even → WIN. */
  function flip(bytes) {
    return bytes[bytes.length - 1] % 2 === 0 ? 'WIN' : 'LOSE';
  }

  /** 3. PULL: options sorted by listing id, winner = options[first byte mod n]. */
  function pullWinner(bytes, options) {
    var sorted = options.slice().sort(function (a, b) { return a.listingId - b.listingId; });
    return sorted[bytes[0] % sorted.length].listingId;
  }

  // 4. Prices in integer cents with exact decimals (BigInt), rounded half-up once at the end.
  function decimal(text) {
    var m = /^(\d+)(?:\.(\d+))?$/.exec(String(text));
    if (!m) {
      throw new Error('not a decimal: ' + text);
    }
    var fraction = m[2] || '';
    return { num: BigInt(m[1] + fraction), den: 10n ** BigInt(fraction.length) };
  }

  function halfUp(num, den) {
    return (2n * num + den) / (2n * den);
  }

  function flipPrices(cardValue, spread) {
    var s = decimal(spread);
    var v = BigInt(cardValue);
    return { win: Number(halfUp(v * (s.den - s.num), s.den)), lose: Number(halfUp(v * (s.den + s.num), s.den)) };
  }

  function pullPrice(values) {
    var sum = values.reduce(function (a, v) { return a + BigInt(v); }, 0n);
    return Number(halfUp(sum * 85n, 100n * BigInt(values.length))) + 100;
  }

  function check(id, ok, detail) {
    return { id: id, ok: ok, detail: detail };
  }

  /**
   * Every check of a revealed play (the JSON of GET /api/play/{id}); resolves to
   * [{id: seedHash|outcomeBytes|outcome|prices, ok, detail}], never rejects for a bad play: a check fails instead.
   */
  function verify(play) {
    var clientSeed = play.clientSeed != null ? play.clientSeed : play.playId;
    var results = [];
    return seedHash(play.serverSeed).then(function (h) {
      results.push(check('seedHash', h === play.seedHash, 'computed ' + h + ', sealed ' + play.seedHash));
    }, function (e) {
      results.push(check('seedHash', false, e.message));
    }).then(function () {
      return outcomeBytes(play.serverSeed, clientSeed);
    }).then(function (bytes) {
      var computed = hex(bytes);
      results.push(check('outcomeBytes', computed === play.outcomeBytes, 'computed ' + computed));
      var options = play.options || [];
      if (play.game === 'FLIP') {
        var side = flip(bytes);
        results.push(check('outcome', side === play.outcome, 'last byte ' + bytes[bytes.length - 1] + ' is '
          + (bytes[bytes.length - 1] % 2 === 0 ? 'even' : 'odd') + ' → ' + side + '; the play says ' + play.outcome));
        var p = flipPrices(play.cardValue, play.spread);
        var owed = side === 'WIN' ? p.win : p.lose;
        results.push(check('prices', p.win === play.winPrice && p.lose === play.losePrice && owed === play.outcomeAmount,
          'win ' + p.win + '¢, lose ' + p.lose + '¢ on ' + play.cardValue + '¢ at spread ' + play.spread
          + '; charged ' + play.outcomeAmount + '¢'));
      } else {
        var winner = pullWinner(bytes, options);
        results.push(check('outcome', winner === play.winnerListingId, 'first byte ' + bytes[0] + ' mod '
          + options.length + ' → listing ' + winner + '; the play says ' + play.winnerListingId));
        var price = pullPrice(options.map(function (o) { return o.cardValue; }));
        results.push(check('prices', price === play.pullPrice && price === play.outcomeAmount,
          'pull price ' + price + '¢; charged ' + play.outcomeAmount + '¢'));
      }
      return results;
    }, function (e) {
      ['outcomeBytes', 'outcome', 'prices'].forEach(function (id) { results.push(check(id, false, e.message)); });
      return results;
    });
  }

  var api = { verify: verify, seedHash: seedHash, outcomeBytes: outcomeBytes, flip: flip, pullWinner: pullWinner,
    flipPrices: flipPrices, pullPrice: pullPrice, hex: hex };
  root.SlabVerify = api;
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  }
})(typeof window !== 'undefined' ? window : globalThis);

// Run by PolyglotClientsTest: node check.js <clients dir> <host> <port> <token> <cardId>
// Reads a card, is refused the sale path, listens for the card's sale; prints one JSON line and exits 0.
'use strict';
const [clientsDir, host, port, token, cardId] = process.argv.slice(2);
const { SlabtrackBus } = require(require('path').resolve(clientsDir, 'slabtrack-bus.js'));

(async () => {
  const bus = new SlabtrackBus(host, Number(port), token);
  await bus.ready;
  const result = {};
  result.card = await bus.request('core.cards.read', { cardId: Number(cardId) });
  try {
    await bus.request('core.sale.claim', { claimId: 'from-node', cardIds: [Number(cardId)] });
    result.refused = null;
  } catch (err) {
    result.refused = err;
  }
  const sold = new Promise((resolve) => bus.subscribe('public.cards.storefront', (body) => {
    if (body.type === 'card.sold' && body.cardIds.includes(Number(cardId))) { resolve(body); }
  }));
  await bus.request('core.cards.read', { cardId: Number(cardId) }); // the register went before this, in order
  console.log('ready');
  result.sold = await sold;
  console.log(JSON.stringify(result));
  bus.close();
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
setTimeout(() => { console.error('timed out'); process.exit(2); }, 30000);

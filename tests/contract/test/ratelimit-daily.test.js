'use strict';
// The daily budget: over it the sandbox answers 429 DAILY, which the
// official client does not retry.

const assert = require('node:assert/strict');
const {test} = require('node:test');
const {setup, rejects} = require('../lib/harness');
const {pending} = require('../lib/pending');

const DAILY = 4;
const h = setup({features: ['ratelimit', 'objects'],
                 flags: ['--daily-limit', String(DAILY)]});
const skip = pending('ratelimit') || pending('objects');

test('over the daily budget: 429 DAILY, and no retry', {skip}, async () => {
    const client = h.client({numberOfApiCallRetries: 3});
    const served = (await h.stats()).rateLimited;
    for (let i = 0; i < DAILY; i++) {
        await client.crm.deals.basicApi.getPage(1);
        assert.equal(h.last().headers['x-hubspot-ratelimit-daily'],
                     String(DAILY));
        assert.equal(h.last().headers['x-hubspot-ratelimit-daily-remaining'],
                     String(DAILY - i - 1));
    }
    const before = h.exchanges.length;
    const e = await rejects(client.crm.deals.basicApi.getPage(1),
                            429);
    assert.equal(e.body.policyName, 'DAILY');
    assert.equal(e.body.errorType, 'RATE_LIMIT');
    assert.equal(h.exchanges.slice(before).filter((x) => !x.admin).length, 1,
                 'the client did not retry');
    const stats = await h.stats();
    assert.equal(stats.rateLimited - served, 1);
});

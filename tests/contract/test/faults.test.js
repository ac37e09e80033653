'use strict';
// Injected server errors: their bodies follow the Error model, the
// official client retries 5xx by itself, and does not retry 423.

const assert = require('node:assert/strict');
const {test, afterEach} = require('node:test');
const {setup, rejects} = require('../lib/harness');
const {pending} = require('../lib/pending');

const h = setup({features: ['objects']});
const skip = pending('objects');

async function faults(body) {
    const r = await h.admin('POST', '/_sandbox/faults', body);
    assert.equal(r.status, 200, JSON.stringify(r.json));
}

afterEach(async () => {
    if (!skip)
        await faults({errorRate: 0});
});

test('every request failing gives the client the 5xx after its retries',
     {skip}, async () => {
    await faults({seed: 3, errorRate: 1, statuses: [503]});
    const before = h.exchanges.length;
    const client = h.client({numberOfApiCallRetries: 2});
    const e = await rejects(client.crm.contacts.basicApi.getPage(1), 503);
    assert.equal(e.body.status, 'error');
    const tries = h.exchanges.slice(before).filter((x) => !x.admin);
    assert.deepEqual(tries.map((x) => x.status), [503, 503]);
});

test('the client retries injected 5xx until a request gets through',
     {skip}, async () => {
    await faults({seed: 11, errorRate: 0.5, statuses: [500, 502, 504]});
    const before = h.exchanges.length;
    const client = h.client({numberOfApiCallRetries: 6});
    for (let i = 0; i < 6; i++) {
        const c = await client.crm.companies.basicApi.create({
            properties: {name: `Retried ${i}`}});
        assert.match(c.id, /^\d+$/);
    }
    const statuses = h.exchanges.slice(before).filter((x) => !x.admin)
        .map((x) => x.status);
    assert.ok(statuses.some((s) => s >= 500), 'some faults were injected');
    assert.equal(statuses.filter((s) => s === 201).length, 6);
    const stats = await h.stats();
    assert.ok(statuses.filter((s) => s >= 500).every((s) =>
        stats.byStatus[String(s)] >= 1));
});

test('423 Locked is not retried by the client', {skip}, async () => {
    await faults({seed: 5, errorRate: 1, statuses: [423]});
    const before = h.exchanges.length;
    const client = h.client({numberOfApiCallRetries: 3});
    const e = await rejects(client.crm.deals.basicApi.getPage(1), 423);
    assert.equal(e.body.status, 'error');
    assert.equal(h.exchanges.slice(before).filter((x) => !x.admin).length,
                 1);
});

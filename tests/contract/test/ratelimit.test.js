'use strict';
// Rate limits with the sandbox's limits shrunk by its flags: the ten-
// secondly window refuses with HubSpot's 429 body, the official client's
// own retry on 429 gets through, and /_sandbox/stats shows the 429s the
// sandbox served.

const assert = require('node:assert/strict');
const {test, beforeEach} = require('node:test');
const {setup, rejects} = require('../lib/harness');
const {pending} = require('../lib/pending');

const WINDOW_MAX = 3;
// Long enough that a slow machine still sends three requests inside one
// window, shorter than the client's 10 s wait before its retry.
const WINDOW_MS = 5000;
const h = setup({features: ['ratelimit', 'objects'], flags: [
    '--rate-window-max', String(WINDOW_MAX),
    '--rate-window-ms', String(WINDOW_MS),
    '--search-per-second', '1',
]});
const skip = pending('ratelimit') || pending('objects');
const skipSearch = skip || pending('search');

// Each test starts with an empty window.
beforeEach(async () => {
    if (!skip)
        assert.equal((await h.admin('POST', '/_sandbox/reset')).status, 204);
});

function list(client) {
    return client.crm.contacts.basicApi.getPage(1);
}

test('the window refuses with 429 TEN_SECONDLY_ROLLING', {skip},
     async () => {
    const client = h.client();
    const remaining = [];
    for (let i = 0; i < WINDOW_MAX; i++) {
        await list(client);
        const headers = h.last().headers;
        assert.equal(headers['x-hubspot-ratelimit-max'], String(WINDOW_MAX));
        assert.equal(headers['x-hubspot-ratelimit-interval-milliseconds'],
                     String(WINDOW_MS));
        remaining.push(Number(headers['x-hubspot-ratelimit-remaining']));
    }
    assert.deepEqual(remaining, [2, 1, 0]);

    const e = await rejects(list(client), 429);
    // The recorder checked the body against the documented 429 shape.
    assert.equal(e.body.errorType, 'RATE_LIMIT');
    assert.equal(e.body.policyName, 'TEN_SECONDLY_ROLLING');
    assert.equal(e.body.message,
                 'You have reached your ten_secondly_rolling limit.');
    assert.ok(!('retry-after' in h.last().headers),
              'no Retry-After unless --retry-after');
});

test('the client retries a 429 by itself and succeeds', {skip},
     async () => {
    const warm = h.client();
    for (let i = 0; i < WINDOW_MAX; i++)
        await list(warm);
    const before = h.exchanges.length;
    const served = (await h.stats()).rateLimited;

    // The client waits 10 s after a TEN_SECONDLY_ROLLING 429, longer than
    // the shrunk window, then tries again.
    const client = h.client({numberOfApiCallRetries: 2});
    const res = await list(client);
    assert.ok(Array.isArray(res.results));

    const attempts = h.exchanges.slice(before).filter((x) => !x.admin)
        .map((x) => x.status);
    assert.deepEqual(attempts, [429, 200]);
    const stats = await h.stats();
    assert.equal(stats.rateLimited - served, 1, 'the sandbox served a 429');
    assert.ok(stats.byStatus['429'] >= 1);
});

test('search over its per-second limit gets SECONDLY and the client '
     + 'retries', {skip: skipSearch}, async () => {
    const client = h.client({numberOfApiCallRetries: 3});
    const before = h.exchanges.length;
    const served = (await h.stats()).rateLimited;
    const body = {filterGroups: [], limit: 1};
    const results = await Promise.all([
        client.crm.contacts.searchApi.doSearch(body),
        client.crm.contacts.searchApi.doSearch(body),
    ]);
    assert.equal(results.length, 2);

    const searches = h.exchanges.slice(before).filter((x) => !x.admin);
    const refused = searches.filter((x) => x.status === 429);
    assert.ok(refused.length >= 1, 'a search was refused');
    for (const x of refused) {
        assert.equal(x.json.policyName, 'SECONDLY');
        assert.equal(x.json.message, 'You have reached your secondly limit.');
    }
    assert.equal(searches.filter((x) => x.status === 200).length, 2);
    const stats = await h.stats();
    assert.equal(stats.rateLimited - served, refused.length);
});

test('search does not use the ten-secondly window', {skip: skipSearch},
     async () => {
    const client = h.client();
    for (let i = 0; i < WINDOW_MAX; i++)
        await list(client);
    // The window is spent; a search still goes through.
    await client.crm.contacts.searchApi.doSearch({limit: 1});
    assert.equal(h.last().status, 200);
});

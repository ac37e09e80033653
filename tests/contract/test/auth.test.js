'use strict';
// Authentication, correlation ids and rate-limit headers: what every
// request meets before any endpoint runs.

const assert = require('node:assert/strict');
const {test} = require('node:test');
const {setup, rejects} = require('../lib/harness');
const {pending} = require('../lib/pending');

const h = setup({features: ['server', 'objects']});
const skip = pending('server');
// A successful request needs an endpoint; a contacts page is the simplest.
const skipOk = pending('server') || pending('objects');

const LIMIT_HEADERS = [
    'x-hubspot-ratelimit-max',
    'x-hubspot-ratelimit-remaining',
    'x-hubspot-ratelimit-interval-milliseconds',
    'x-hubspot-ratelimit-daily',
    'x-hubspot-ratelimit-daily-remaining',
];

test('a missing token gives 401 INVALID_AUTHENTICATION', {skip}, async () => {
    const r = await h.raw('GET', '/crm/v3/properties/contacts',
                          {token: null});
    assert.equal(r.status, 401);
    assert.equal(r.json.category, 'INVALID_AUTHENTICATION');
    assert.equal(r.json.status, 'error');
    assert.equal(typeof r.json.message, 'string');
});

test('the client with a wrong token gets 401', {skip}, async () => {
    const client = h.client({accessToken: 'not-the-token'});
    const e = await rejects(
        client.crm.properties.coreApi.getAll('contacts'), 401);
    assert.equal(e.body.category, 'INVALID_AUTHENTICATION');
});

test('a wrong scheme is refused like a wrong token', {skip}, async () => {
    const r = await h.raw('GET', '/crm/v3/properties/contacts', {
        token: null, headers: {authorization: `Basic ${h.token}`}});
    assert.equal(r.status, 401);
    assert.equal(r.json.category, 'INVALID_AUTHENTICATION');
});

test('each response has its own correlation id', {skip: skipOk}, async () => {
    const client = h.client();
    await client.crm.contacts.basicApi.getPage(1);
    const first = h.last().headers['x-hubspot-correlation-id'];
    await client.crm.contacts.basicApi.getPage(1);
    const second = h.last().headers['x-hubspot-correlation-id'];
    // The recorder already checked both are uuids.
    assert.notEqual(first, second);
});

test('the error body repeats the correlation id', {skip}, async () => {
    const r = await h.raw('GET', '/crm/v3/properties/contacts',
                          {token: 'wrong'});
    assert.equal(r.json.correlationId, r.headers['x-hubspot-correlation-id']);
});

test('non-search responses carry the rate-limit headers', {skip: skipOk},
     async () => {
    const client = h.client();
    await client.crm.contacts.basicApi.getPage(1);
    const a = h.last().headers;
    for (const name of LIMIT_HEADERS)
        assert.match(a[name] || '', /^\d+$/, `${name} on the response`);
    // Free tier by default: 100 per 10 s, 250,000 a day.
    assert.equal(a['x-hubspot-ratelimit-max'], '100');
    assert.equal(a['x-hubspot-ratelimit-interval-milliseconds'], '10000');
    assert.equal(a['x-hubspot-ratelimit-daily'], '250000');

    await client.crm.contacts.basicApi.getPage(1);
    const b = h.last().headers;
    assert.ok(Number(b['x-hubspot-ratelimit-remaining']) <
              Number(a['x-hubspot-ratelimit-remaining']),
              'remaining goes down with each request');
    assert.ok(Number(b['x-hubspot-ratelimit-daily-remaining']) <
              Number(a['x-hubspot-ratelimit-daily-remaining']));
});

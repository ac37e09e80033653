'use strict';
// --retry-after: HubSpot does not document Retry-After on 429, so the
// sandbox sends it only when asked, as a whole number of seconds.

const assert = require('node:assert/strict');
const {test} = require('node:test');
const {setup, rejects} = require('../lib/harness');

const h = setup({flags: ['--rate-window-max', '1', '--retry-after']});

test('a 429 carries Retry-After when the flag is set', async () => {
    const api = h.client().crm.contacts.basicApi;
    await api.getPage(1);
    assert.ok(!('retry-after' in h.last().headers), 'not on a 200');
    const e = await rejects(api.getPage(1), 429);
    assert.equal(e.body.policyName, 'TEN_SECONDLY_ROLLING');
    const wait = h.last().headers['retry-after'];
    assert.match(wait || '', /^[1-9]\d*$/, `Retry-After '${wait}'`);
    assert.ok(Number(wait) <= 10, 'no longer than the 10 s window');
});

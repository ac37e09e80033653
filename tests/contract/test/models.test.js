'use strict';
// The model checker itself, on bodies written by hand: it must accept a
// conforming body and name every kind of departure, or the contract tests
// that rely on it could not fail.

const assert = require('node:assert/strict');
const {test} = require('node:test');
const {checkBody} = require('../lib/models');
const {modelFor} = require('../lib/routes');

const WHEN = '2024-01-17T19:55:04.281Z';
const CID = '6b1f0e62-1c1f-4b8c-9d3a-2f0a4f7b1c11';

function contact(extra = {}) {
    return {id: '101', properties: {email: 'a@b.io', phone: null},
            createdAt: WHEN, updatedAt: WHEN, archived: false, ...extra};
}

test('a conforming SimplePublicObject passes', () => {
    assert.deepEqual(checkBody('objects', 'SimplePublicObject', contact()),
                     []);
});

test('an undeclared field is reported', () => {
    const p = checkBody('objects', 'SimplePublicObject',
                        contact({url: 'x'}));
    assert.deepEqual(p, ['$.url: field not declared by SimplePublicObject']);
});

test('a missing or null required field is reported', () => {
    const body = contact();
    delete body.updatedAt;
    body.id = null;
    const p = checkBody('objects', 'SimplePublicObject', body);
    assert.equal(p.length, 2);
    assert.match(p.join('\n'), /\$\.id: required by SimplePublicObject but null/);
    assert.match(p.join('\n'), /\$\.updatedAt: required .* but missing/);
});

test('type mismatches are reported', () => {
    const p = checkBody('objects', 'SimplePublicObject', contact({
        id: 101, archived: 'false', createdAt: '17/01/2024',
        properties: {email: 5}}));
    assert.equal(p.length, 4, p.join('\n'));
    const all = p.join('\n');
    assert.match(all, /\$\.archived: expected boolean/);
    assert.match(all, /\$\.id: expected string, got number/);
    assert.match(all, /\$\.createdAt: expected ISO 8601/);
    assert.match(all, /\$\.properties\.email: expected string/);
});

test('Date fields need an ISO 8601 date-time string', () => {
    for (const bad of [1705521304281, '2024-01-17', 'Wed Jan 17 2024'])
        assert.equal(checkBody('objects', 'SimplePublicObject',
                               contact({createdAt: bad})).length, 1, bad);
    assert.deepEqual(checkBody('objects', 'SimplePublicObject',
        contact({createdAt: '2024-01-17T19:55:04Z'})), []);
});

test('enum values outside the generated enum are reported', () => {
    const body = {status: 'DONE', results: [contact()], startedAt: WHEN,
                  completedAt: WHEN};
    const p = checkBody('objects', 'BatchResponseSimplePublicObject', body);
    assert.equal(p.length, 1);
    assert.match(p[0], /\$\.status: "DONE" is not one of/);
});

test('nested models inside arrays and maps are checked', () => {
    const body = {
        id: '1', properties: {}, createdAt: WHEN, updatedAt: WHEN,
        associations: {companies: {results: [{id: '2', type: 7}]}},
    };
    const p = checkBody('objects', 'SimplePublicObjectWithAssociations',
                        body);
    assert.deepEqual(p, ['$.associations.companies.results[0].type: ' +
                         'expected string, got number 7']);
});

test('integer formats refuse fractions', () => {
    const body = {fromObjectTypeId: '0-1', fromObjectId: '1',
                  toObjectTypeId: '0-2', toObjectId: '2', labels: []};
    assert.deepEqual(checkBody('associations', 'LabelsBetweenObjectPair',
                               body), []);
    const spec = {category: 'HUBSPOT_DEFINED', typeId: 1.5, label: null};
    const p = checkBody('associations', 'AssociationSpecWithLabel', spec);
    assert.equal(p.length, 1);
    assert.match(p[0], /typeId: expected integer/);
});

test('the Error model accepts HubSpot documented status field only', () => {
    const ok = {status: 'error', message: 'm', correlationId: CID,
                category: 'VALIDATION_ERROR'};
    assert.deepEqual(checkBody('objects', 'Error', ok), []);
    assert.equal(checkBody('objects', 'Error',
                           {...ok, status: 'failed'}).length, 1);
    assert.equal(checkBody('objects', 'Error',
                           {...ok, correlationId: 'abc'}).length, 1);
    assert.equal(checkBody('objects', 'Error',
                           {...ok, errorType: 'RATE_LIMIT'}).length, 1);
});

test('the 429 body follows the documented rate-limit shape', () => {
    const body = {status: 'error', message: 'You have reached your ' +
                  'ten_secondly_rolling limit.', errorType: 'RATE_LIMIT',
                  correlationId: CID, policyName: 'TEN_SECONDLY_ROLLING'};
    assert.deepEqual(checkBody('objects', 'RateLimitError', body), []);
    assert.equal(checkBody('objects', 'RateLimitError',
                           {...body, policyName: 'HOURLY'}).length, 1);
});

test('the route table maps statuses to the client models', () => {
    assert.deepEqual(modelFor('POST', '/crm/v3/objects/contacts/batch/create',
                              207),
                     {pkg: 'objects',
                      model: 'BatchResponseSimplePublicObjectWithErrors'});
    assert.equal(modelFor('GET', '/crm/v3/objects/contacts/5', 200).model,
                 'SimplePublicObjectWithAssociations');
    assert.equal(modelFor('GET', '/crm/v3/owners/', 200).model,
                 'CollectionResponsePublicOwnerForwardPaging');
    assert.equal(modelFor('POST', '/crm/v3/objects/contacts', 409).model,
                 'Error');
    assert.ok(modelFor('POST', '/crm/v3/objects/contacts', 200).error);
    assert.ok(modelFor('GET', '/crm/v9/nothing', 200).error);
});

'use strict';
// Associations v4: batch create with HubSpot-defined types, batch read in
// both directions, labels, default associations, per-record listing,
// label archive and batch archive, and the input limits.

const assert = require('node:assert/strict');
const {test} = require('node:test');
const {setup, rejects} = require('../lib/harness');
const {pending} = require('../lib/pending');

const h = setup({features: ['associations']});
const skip = pending('associations');

const HS = 'HUBSPOT_DEFINED';
let serial = 0;

async function make(type, n) {
    serial += 1;
    const props = {
        contacts: (i) => ({email: `a${serial}.${i}@example.com`}),
        companies: (i) => ({name: `Co ${serial}.${i}`}),
        deals: (i) => ({dealname: `Deal ${serial}.${i}`}),
    }[type];
    const res = await h.client().crm.objects.batchApi.create(type, {
        inputs: Array.from({length: n}, (_, i) => ({properties: props(i),
                                                    associations: []}))});
    return res.results.map((r) => r.id).sort((a, b) => a - b);
}

function pair(from, to, ...typeIds) {
    return {_from: {id: from}, to: {id: to},
            types: typeIds.map((t) => ({associationCategory: HS,
                                        associationTypeId: t}))};
}

// toObjectId -> sorted type ids, from a v4 batch read of one record.
async function linksOf(fromType, toType, id) {
    const res = await h.client().crm.associations.v4.batchApi.getPage(
        fromType, toType, {inputs: [{id}]});
    const out = {};
    for (const r of res.results) {
        assert.equal(r._from.id, id);
        for (const t of r.to)
            out[t.toObjectId] = t.associationTypes.map((x) => x.typeId)
                .sort((a, b) => a - b);
    }
    return out;
}

test('batch create answers 201 with the labels of each pair', {skip},
     async () => {
    const [contact] = await make('contacts', 1);
    const [a, b] = await make('companies', 2);
    const api = h.client().crm.associations.v4.batchApi;
    const res = await api.create('contacts', 'companies', {inputs: [
        pair(contact, a, 1), pair(contact, b, 279)]});
    assert.equal(h.last().status, 201);
    assert.equal(res.status, 'COMPLETE');
    assert.equal(res.results.length, 2);
    for (const r of res.results) {
        assert.equal(r.fromObjectTypeId, '0-1');
        assert.equal(r.toObjectTypeId, '0-2');
        // Types are the recorder's job; here only the values matter.
        assert.equal(String(r.fromObjectId), contact);
    }
});

test('primary implies unlabeled; both directions read back', {skip},
     async () => {
    const [contact] = await make('contacts', 1);
    const [a, b] = await make('companies', 2);
    const api = h.client().crm.associations.v4.batchApi;
    await api.create('contacts', 'companies', {inputs: [
        pair(contact, a, 1), pair(contact, b, 279)]});

    assert.deepEqual(await linksOf('contacts', 'companies', contact),
                     {[a]: [1, 279], [b]: [279]});
    assert.deepEqual(await linksOf('companies', 'contacts', a),
                     {[contact]: [2, 280]});
    assert.deepEqual(await linksOf('companies', 'contacts', b),
                     {[contact]: [280]});

    const res = await api.getPage('contacts', 'companies',
                                  {inputs: [{id: contact}]});
    const specs = res.results[0].to.find((t) => String(t.toObjectId) === a)
        .associationTypes;
    const primary = specs.find((s) => s.typeId === 1);
    const unlabeled = specs.find((s) => s.typeId === 279);
    assert.equal(primary.category, HS);
    assert.equal(primary.label, 'Primary');
    assert.ok(unlabeled.label === null || unlabeled.label === undefined,
              'the unlabeled type has no label');
});

test('deal to company and deal to contact type ids', {skip}, async () => {
    const [deal] = await make('deals', 1);
    const [company] = await make('companies', 1);
    const [contact] = await make('contacts', 1);
    const api = h.client().crm.associations.v4.batchApi;
    await api.create('deals', 'companies', {inputs: [
        pair(deal, company, 5)]});
    await api.create('deals', 'contacts', {inputs: [pair(deal, contact, 3)]});
    assert.deepEqual(await linksOf('deals', 'companies', deal),
                     {[company]: [5, 341]});
    assert.deepEqual(await linksOf('companies', 'deals', company),
                     {[deal]: [6, 342]});
    assert.deepEqual(await linksOf('contacts', 'deals', contact),
                     {[deal]: [4]});
});

test('a record keeps at most one primary company', {skip}, async () => {
    const [contact] = await make('contacts', 1);
    const [a, b] = await make('companies', 2);
    const api = h.client().crm.associations.v4.batchApi;
    await api.create('contacts', 'companies', {inputs: [pair(contact, a, 1)]});
    try {
        await api.create('contacts', 'companies',
                         {inputs: [pair(contact, b, 1)]});
    } catch (err) {
        // Refusing the second primary is as good as moving it.
        assert.ok(err.code >= 400 && err.code < 500, String(err));
    }
    const links = await linksOf('contacts', 'companies', contact);
    const primaries = Object.values(links).filter((t) => t.includes(1));
    assert.equal(primaries.length, 1);
});

test('labels lists the HubSpot-defined types between two objects', {skip},
     async () => {
    const api = h.client().crm.associations.v4.schema.definitionsApi;
    const res = await api.getAll('contacts', 'companies');
    const byId = new Map(res.results.map((r) => [r.typeId, r]));
    assert.equal(byId.get(1)?.category, HS);
    assert.equal(byId.get(279)?.category, HS);
    const deals = await api.getAll('deals', 'companies');
    const dealIds = deals.results.map((r) => r.typeId);
    assert.ok(dealIds.includes(5) && dealIds.includes(341));
});

test('default association, single and batch, is unlabeled', {skip},
     async () => {
    const [deal1, deal2] = await make('deals', 2);
    const [company] = await make('companies', 1);
    const basic = h.client().crm.associations.v4.basicApi;
    const one = await basic.createDefault('deals', deal1, 'companies',
                                          company);
    assert.equal(h.last().status, 200);
    assert.equal(one.results[0].associationSpec.associationTypeId, 341);
    assert.equal(one.results[0].associationSpec.associationCategory, HS);

    const batch = h.client().crm.associations.v4.batchApi;
    const many = await batch.createDefault('deals', 'companies', {inputs: [
        {_from: {id: deal2}, to: {id: company}}]});
    assert.ok(many.results.length >= 1);
    assert.deepEqual(await linksOf('deals', 'companies', deal2),
                     {[company]: [341]});
});

test('per-record listing shows each associated record once', {skip},
     async () => {
    const [contact] = await make('contacts', 1);
    const companies = await make('companies', 3);
    await h.client().crm.associations.v4.batchApi.create(
        'contacts', 'companies', {inputs: [
            pair(contact, companies[0], 1),
            pair(contact, companies[1], 279),
            pair(contact, companies[2], 279)]});
    const res = await h.client().crm.associations.v4.basicApi.getPage(
        'contacts', contact, 'companies');
    assert.deepEqual(res.results.map((r) => String(r.toObjectId)).sort(),
                     [...companies].sort());
});

test('v3 read with associations shows v4 links', {skip}, async () => {
    const [contact] = await make('contacts', 1);
    const [company] = await make('companies', 1);
    await h.client().crm.associations.v4.batchApi.create(
        'contacts', 'companies', {inputs: [pair(contact, company, 279)]});
    const read = await h.client().crm.contacts.basicApi.getById(
        contact, undefined, undefined, ['companies']);
    const ids = read.associations.companies.results.map((r) => r.id);
    assert.ok(ids.includes(company));
});

test('labels archive removes one label and keeps the pair', {skip},
     async () => {
    const [contact] = await make('contacts', 1);
    const [company] = await make('companies', 1);
    const api = h.client().crm.associations.v4.batchApi;
    await api.create('contacts', 'companies',
                     {inputs: [pair(contact, company, 1)]});
    await api.archiveLabels('contacts', 'companies',
                            {inputs: [pair(contact, company, 1)]});
    assert.equal(h.last().status, 204);
    assert.deepEqual(await linksOf('contacts', 'companies', contact),
                     {[company]: [279]});
});

test('archiving the unlabeled type removes every label', {skip},
     async () => {
    const [contact] = await make('contacts', 1);
    const [company] = await make('companies', 1);
    const api = h.client().crm.associations.v4.batchApi;
    await api.create('contacts', 'companies',
                     {inputs: [pair(contact, company, 1)]});
    await api.archiveLabels('contacts', 'companies',
                            {inputs: [pair(contact, company, 279)]});
    assert.deepEqual(await linksOf('contacts', 'companies', contact), {});
});

test('batch archive removes all associations of each pair', {skip},
     async () => {
    const [contact] = await make('contacts', 1);
    const [a, b] = await make('companies', 2);
    const api = h.client().crm.associations.v4.batchApi;
    await api.create('contacts', 'companies', {inputs: [
        pair(contact, a, 1), pair(contact, b, 279)]});
    await api.archive('contacts', 'companies', {inputs: [
        {_from: {id: contact}, to: [{id: a}]}]});
    assert.equal(h.last().status, 204);
    assert.deepEqual(await linksOf('contacts', 'companies', contact),
                     {[b]: [279]});
    assert.deepEqual(await linksOf('companies', 'contacts', a), {});
});

test('batch create over 2,000 and read over 1,000 inputs give 400',
     {skip}, async () => {
    const api = h.client().crm.associations.v4.batchApi;
    const inputs = Array.from({length: 2001}, (_, i) =>
        pair(String(i + 1), String(i + 2), 279));
    let e = await rejects(api.create('contacts', 'companies', {inputs}), 400);
    assert.equal(e.body.category, 'VALIDATION_ERROR');
    const reads = Array.from({length: 1001}, (_, i) => ({id: String(i + 1)}));
    e = await rejects(api.getPage('contacts', 'companies', {inputs: reads}),
                      400);
    assert.equal(e.body.category, 'VALIDATION_ERROR');
});

test('per-record create with labels answers 201; delete answers 204',
     {skip}, async () => {
    const [contact] = await make('contacts', 1);
    const [company] = await make('companies', 1);
    const basic = h.client().crm.associations.v4.basicApi;
    const res = await basic.create('contacts', contact, 'companies', company,
                                   [{associationCategory: HS,
                                     associationTypeId: 1}]);
    assert.equal(h.last().status, 201);
    assert.equal(String(res.fromObjectId), contact);
    assert.equal(String(res.toObjectId), company);
    assert.equal(res.fromObjectTypeId, '0-1');
    assert.equal(res.toObjectTypeId, '0-2');
    assert.ok(res.labels.includes('Primary'), JSON.stringify(res.labels));
    assert.deepEqual(await linksOf('contacts', 'companies', contact),
                     {[company]: [1, 279]});

    await basic.archive('contacts', contact, 'companies', company);
    assert.equal(h.last().status, 204);
    assert.deepEqual(await linksOf('contacts', 'companies', contact), {});
});

test('per-record listing pages with limit and after', {skip}, async () => {
    const [deal] = await make('deals', 1);
    const contacts = await make('contacts', 5);
    await h.client().crm.associations.v4.batchApi.create('deals', 'contacts',
        {inputs: contacts.map((c) => pair(deal, c, 3))});
    const seen = [];
    let after;
    let pages = 0;
    do {
        const res = await h.client().crm.associations.v4.basicApi.getPage(
            'deals', deal, 'contacts', after, 2);
        assert.ok(res.results.length <= 2);
        seen.push(...res.results.map((r) => String(r.toObjectId)));
        after = res.paging?.next?.after;
        pages += 1;
    } while (after && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen.sort(), [...contacts].sort());
});

test('search by the associations pseudo-property', {skip}, async () => {
    const contacts = await make('contacts', 3);
    const [company] = await make('companies', 1);
    await h.client().crm.associations.v4.batchApi.create(
        'contacts', 'companies', {inputs: [pair(contacts[0], company, 279),
                                           pair(contacts[2], company, 1)]});
    const res = await h.client().crm.contacts.searchApi.doSearch({
        filterGroups: [{filters: [{propertyName: 'associations.company',
                                   operator: 'EQ', value: company}]}]});
    assert.deepEqual(res.results.map((r) => r.id).sort(),
                     [contacts[0], contacts[2]].sort());
    assert.equal(res.total, 2);
});

test('associations given at create time, read back by list and by id',
     {skip}, async () => {
    const [company] = await make('companies', 1);
    const api = h.client().crm.contacts.basicApi;
    const c = await api.create({
        properties: {email: `born-linked${serial}@example.com`},
        associations: [{to: {id: company}, types: [
            {associationCategory: HS, associationTypeId: 279}]}]});
    const one = await api.getById(c.id, ['email'], undefined,
                                  ['companies']);
    assert.deepEqual(one.associations.companies.results.map((r) => r.id),
                     [company]);
    const page = await api.getPage(100, undefined, ['email'], undefined,
                                   ['companies']);
    const listed = page.results.find((r) => r.id === c.id);
    assert.deepEqual(listed.associations.companies.results.map((r) => r.id),
                     [company]);
    assert.match(listed.associations.companies.results[0].type,
                 /^contact_to_company/);
});

'use strict';
// Which client model describes each response body, by method, path and
// status. The status-to-model pairs mirror the generated response
// processors of @hubspot/api-client (apis/*Api.js, the *WithHttpInfo
// methods): a body the client would deserialize as model M is checked
// against M. Any 4xx/5xx other than 429 is the Error model, as in the
// client's "0" (default) branch; 429 has its own documented shape.

const SEG = '[^/]+';
const OBJ = '(?:contacts|companies|deals|0-1|0-2|0-3)';

function route(method, pattern, pkg, models) {
    const re = new RegExp('^' + pattern
        .replace(/\{obj\}/g, OBJ)
        .replace(/\{[a-zA-Z]+\}/g, SEG) + '/?$');
    return {method, pattern, re, pkg, models};
}

const ROUTES = [
    // Properties v3.
    route('GET', '/crm/v3/properties/{t}', 'properties',
          {200: 'CollectionResponsePropertyNoPaging'}),
    route('POST', '/crm/v3/properties/{t}', 'properties', {201: 'Property'}),
    route('GET', '/crm/v3/properties/{t}/groups', 'properties',
          {200: 'CollectionResponsePropertyGroupNoPaging'}),
    route('POST', '/crm/v3/properties/{t}/groups', 'properties',
          {201: 'PropertyGroup'}),
    route('GET', '/crm/v3/properties/{t}/groups/{g}', 'properties',
          {200: 'PropertyGroup'}),
    route('PATCH', '/crm/v3/properties/{t}/groups/{g}', 'properties',
          {200: 'PropertyGroup'}),
    route('DELETE', '/crm/v3/properties/{t}/groups/{g}', 'properties',
          {204: null}),
    route('POST', '/crm/v3/properties/{t}/batch/read', 'properties',
          {200: 'BatchResponseProperty', 207: 'BatchResponsePropertyWithErrors'}),
    route('POST', '/crm/v3/properties/{t}/batch/create', 'properties',
          {201: 'BatchResponseProperty', 207: 'BatchResponsePropertyWithErrors'}),
    route('POST', '/crm/v3/properties/{t}/batch/archive', 'properties',
          {204: null}),
    route('GET', '/crm/v3/properties/{t}/{name}', 'properties',
          {200: 'Property'}),
    route('PATCH', '/crm/v3/properties/{t}/{name}', 'properties',
          {200: 'Property'}),
    route('DELETE', '/crm/v3/properties/{t}/{name}', 'properties',
          {204: null}),

    // Objects v3: batch, search and merge before the {id} routes.
    route('POST', '/crm/v3/objects/{obj}/batch/create', 'objects',
          {201: 'BatchResponseSimplePublicObject',
           207: 'BatchResponseSimplePublicObjectWithErrors'}),
    route('POST', '/crm/v3/objects/{obj}/batch/read', 'objects',
          {200: 'BatchResponseSimplePublicObject',
           207: 'BatchResponseSimplePublicObjectWithErrors'}),
    route('POST', '/crm/v3/objects/{obj}/batch/update', 'objects',
          {200: 'BatchResponseSimplePublicObject',
           207: 'BatchResponseSimplePublicObjectWithErrors'}),
    route('POST', '/crm/v3/objects/{obj}/batch/upsert', 'objects',
          {200: 'BatchResponseSimplePublicUpsertObject',
           207: 'BatchResponseSimplePublicUpsertObjectWithErrors'}),
    route('POST', '/crm/v3/objects/{obj}/batch/archive', 'objects',
          {204: null}),
    route('POST', '/crm/v3/objects/{obj}/search', 'objects',
          {200: 'CollectionResponseWithTotalSimplePublicObjectForwardPaging'}),
    route('POST', '/crm/v3/objects/{obj}/merge', 'contacts',
          {200: 'SimplePublicObject'}),
    route('POST', '/crm/v3/objects/{obj}', 'objects',
          {201: 'SimplePublicObject'}),
    route('GET', '/crm/v3/objects/{obj}', 'objects',
          {200: 'CollectionResponseSimplePublicObjectWithAssociationsForwardPaging'}),
    route('GET', '/crm/v3/objects/{obj}/{id}', 'objects',
          {200: 'SimplePublicObjectWithAssociations'}),
    route('PATCH', '/crm/v3/objects/{obj}/{id}', 'objects',
          {200: 'SimplePublicObject'}),
    route('DELETE', '/crm/v3/objects/{obj}/{id}', 'objects', {204: null}),

    // Associations v4.
    route('PUT', '/crm/v4/objects/{t}/{id}/associations/default/{to}/{toId}',
          'associations', {200: 'BatchResponsePublicDefaultAssociation'}),
    route('PUT', '/crm/v4/objects/{t}/{id}/associations/{to}/{toId}',
          'associations', {201: 'LabelsBetweenObjectPair'}),
    route('DELETE', '/crm/v4/objects/{t}/{id}/associations/{to}/{toId}',
          'associations', {204: null}),
    route('GET', '/crm/v4/objects/{t}/{id}/associations/{to}', 'associations',
          {200: 'CollectionResponseMultiAssociatedObjectWithLabelForwardPaging'}),
    route('POST', '/crm/v4/associations/{f}/{t}/batch/create', 'associations',
          {201: 'BatchResponseLabelsBetweenObjectPair',
           207: 'BatchResponseLabelsBetweenObjectPairWithErrors'}),
    route('POST', '/crm/v4/associations/{f}/{t}/batch/associate/default',
          'associations', {200: 'BatchResponsePublicDefaultAssociation'}),
    route('POST', '/crm/v4/associations/{f}/{t}/batch/read', 'associations',
          {200: 'BatchResponsePublicAssociationMultiWithLabel',
           207: 'BatchResponsePublicAssociationMultiWithLabelWithErrors'}),
    route('POST', '/crm/v4/associations/{f}/{t}/batch/archive',
          'associations', {204: null}),
    route('POST', '/crm/v4/associations/{f}/{t}/batch/labels/archive',
          'associations', {204: null}),
    route('GET', '/crm/v4/associations/{f}/{t}/labels', 'associationsSchema',
          {200: 'CollectionResponseAssociationSpecWithLabelNoPaging'}),

    // Owners and pipelines.
    route('GET', '/crm/v3/owners', 'owners',
          {200: 'CollectionResponsePublicOwnerForwardPaging'}),
    route('GET', '/crm/v3/owners/{id}', 'owners', {200: 'PublicOwner'}),
    route('GET', '/crm/v3/pipelines/{t}', 'pipelines',
          {200: 'CollectionResponsePipelineNoPaging'}),
    route('GET', '/crm/v3/pipelines/{t}/{id}', 'pipelines',
          {200: 'Pipeline'}),
    route('GET', '/crm/v3/pipelines/{t}/{id}/stages', 'pipelines',
          {200: 'CollectionResponsePipelineStageNoPaging'}),
    route('GET', '/crm/v3/pipelines/{t}/{id}/stages/{s}', 'pipelines',
          {200: 'PipelineStage'}),
];

// Returns {pkg, model} for a response, model null when no body is
// expected, or {error} when the suite has no model for it.
function modelFor(method, pathname, status) {
    const r = ROUTES.find((x) => x.method === method && x.re.test(pathname));
    if (!r)
        return {error: `no route in the contract table for ${method} ` +
                       `${pathname}`};
    if (status === 429)
        return {pkg: r.pkg, model: 'RateLimitError'};
    if (status >= 400)
        return {pkg: r.pkg, model: 'Error'};
    if (!(status in r.models))
        return {error: `the client expects none of status ${status} from ` +
                       `${method} ${r.pattern} (it knows ` +
                       `${Object.keys(r.models).join(', ')})`};
    return {pkg: r.pkg, model: r.models[status]};
}

module.exports = {modelFor, ROUTES};

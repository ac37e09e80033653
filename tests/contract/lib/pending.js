'use strict';
// Sandbox features that main does not serve yet. Tests that need one are
// reported as skipped, with the reason below, so the suite stays green on
// main while the sandbox is being built; an entry goes away as soon as
// main serves the feature. CONTRACT_RUN_PENDING=1 runs them anyway.

const PENDING = {
    properties: 'property bodies carry dataSensitivity, which the client ' +
        'model lacks, and each create leaks memory',
    associations: 'v4 association ids come back as JSON numbers where ' +
        'the client models declare strings',
};

// For node:test's `skip` option: false when the feature is served, else
// the reason to print.
function pending(feature) {
    if (process.env.CONTRACT_RUN_PENDING === '1')
        return false;
    return PENDING[feature] || false;
}

module.exports = {pending};

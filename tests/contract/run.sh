#!/usr/bin/env bash
# Placeholder until the contract suite lands: it runs no test yet.
echo "contract: 0 passed, 0 failed"

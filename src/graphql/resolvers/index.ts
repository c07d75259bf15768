/**
 * All resolver modules, merged per type. Adding a domain (e.g. the monitoring engineer's
 * `monitor.ts`) is one import and one entry in MODULES. Fields left unresolved here
 * (processes, activity, profile, captureProfile) belong to that module.
 */
import { GraphQLScalarType } from 'graphql';
import type { GqlResolvers as Resolvers } from '../../__generated__/resolvers-types.js';
import { JSONScalar } from '../json-scalar.js';
import { fileResolvers } from './file.js';
import { recordResolvers } from './record.js';
import { spectrumResolvers } from './spectrum.js';
import { releaseResolvers } from './release.js';
import { runResolvers } from './run.js';
import { surveyResolvers } from './survey.js';
import { viewerResolvers } from './viewer.js';
import { monitorResolvers } from './monitor.js';
import { tokenResolvers } from './tokens.js';
import { searchResolvers } from './search.js';
import { catalogueResolvers } from './catalogue.js';
import { crossmatchResolvers } from './crossmatch.js';
import { databaseActivityResolvers } from './database-activity.js';
import { ingestDashboardResolvers } from './ingest-dashboard.js';

const MODULES: Resolvers[] = [
  { JSON: JSONScalar },
  surveyResolvers,
  releaseResolvers,
  fileResolvers,
  recordResolvers,
  spectrumResolvers,
  runResolvers,
  viewerResolvers,
  monitorResolvers,
  tokenResolvers,
  searchResolvers,
  catalogueResolvers,
  crossmatchResolvers,
  databaseActivityResolvers,
  ingestDashboardResolvers,
];

/** Shallow merge per type; two modules defining the same field is a mistake, so it throws. */
export function mergeResolvers(modules: Resolvers[]): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const mod of modules) {
    for (const [type, fields] of Object.entries(mod)) {
      if (fields instanceof Object && !(fields instanceof GraphQLScalarType)) {
        const target = (merged[type] ??= {});
        for (const [field, fn] of Object.entries(fields as Record<string, unknown>)) {
          if (field in target) throw new Error(`resolver ${type}.${field} is defined twice`);
          target[field] = fn;
        }
      } else {
        if (type in merged) throw new Error(`resolver ${type} is defined twice`);
        merged[type] = fields as Record<string, unknown>;
      }
    }
  }
  return merged as Resolvers;
}

export const resolvers: Resolvers = mergeResolvers(MODULES);

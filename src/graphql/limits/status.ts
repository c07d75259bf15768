/**
 * The HTTP side of the limit errors, settled once the answer is formatted: a request refused
 * for its size is the client's to fix (400, whichever way Apollo received the error); a
 * request stopped at its deadline answers one error (503), not one per field that was cut off.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../../log.js';
import { TIMEOUT, TOO_COMPLEX } from './errors.js';

export function limitStatusPlugin(logger: Logger): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operationName }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (!result.errors) return;
          if (result.errors.some((e) => e.extensions?.code === TOO_COMPLEX)) response.http.status = 400;
          const stopped = result.errors.find((e) => e.extensions?.code === TIMEOUT);
          if (!stopped) return;
          logger.warn({ operation: operationName, limitMs: stopped.extensions?.max, ms: stopped.extensions?.actual }, 'GraphQL request stopped at its deadline');
          response.body.singleResult = { data: null, errors: [{ message: stopped.message, extensions: stopped.extensions }], extensions: result.extensions };
          response.http.status = 503;
        },
      };
    },
  };
}

import type { ApolloServerPlugin } from "@apollo/server";
import { BREAK, type DocumentNode, Kind, visit } from "graphql";

/** Whether an operation reads the schema (`__schema`, `__type`); `__typename` is not introspection. */
export function readsSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === "__schema" || node.name.value === "__type") {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

const SCHEMA_FIELDS = new Set(["__schema", "__type", "__typename"]);

/**
 * Whether every operation of the document selects only `__schema`, `__type` or `__typename` at its
 * root (fragments at the root are not looked into: such a document is simply not schema-only).
 */
export function readsOnlySchema(document: DocumentNode): boolean {
  return document.definitions.every(
    (definition) =>
      definition.kind !== Kind.OPERATION_DEFINITION ||
      definition.selectionSet.selections.every(
        (selection) => selection.kind === Kind.FIELD && SCHEMA_FIELDS.has(selection.name.value),
      ),
  );
}

/** graphql-js ends a validation message with its guesses: " Did you mean "name" or "venue"?". */
const SUGGESTION = / ?Did you mean .*\?$/s;

export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, "");
}

/**
 * Removes field, argument, type and enum-value suggestions from the errors of a client that may
 * not see the schema: suggestions spell out the schema one guess at a time, introspection by
 * other means. (Apollo Server's own switch is all or nothing; this one follows the caller.)
 */
export function suggestionsPolicy<T extends { schemaDetails: boolean }>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (contextValue.schemaDetails || response.body.kind !== "single") return;
          const { errors } = response.body.singleResult;
          if (!errors) return;
          response.body.singleResult.errors = errors.map((error) => ({
            ...error,
            message: withoutSuggestions(error.message),
          }));
        },
      };
    },
  };
}

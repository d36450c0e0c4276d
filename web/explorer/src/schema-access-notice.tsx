import { useGraphiQL, useGraphiQLActions } from "@graphiql/react";

/**
 * GraphiQL keeps a failed introspection as raw JSON in its response pane; this says in words why
 * the documentation is empty and what gives access. In production the gateway shows the schema only
 * to admins and to partner keys with the schema:read scope (403 FORBIDDEN, reason
 * INTROSPECTION_DISABLED for anyone else).
 */
export function SchemaAccessNotice() {
  const fetchError = useGraphiQL((state) => state.fetchError);
  const isIntrospecting = useGraphiQL((state) => state.isIntrospecting);
  const { introspect } = useGraphiQLActions();
  if (!fetchError) return null;
  const hidden = fetchError.includes("INTROSPECTION_DISABLED");
  return (
    <div className="urr-notice" role="alert">
      <strong>
        {hidden ? "This gateway does not show you its schema" : "The schema could not be loaded"}
      </strong>
      {hidden ? (
        <p>
          Introspection is off here for anyone but admins and partner keys with the <code>schema:read</code>{" "}
          scope. Sign in as an admin (run the <code>login</code> mutation in the editor: the session cookie is
          kept), or put your key in the Headers tab as <code>{'{ "x-api-key": "…" }'}</code>, then reload the
          schema. Operations still run without it.
        </p>
      ) : (
        <pre>{fetchError}</pre>
      )}
      <button
        type="button"
        className="graphiql-button"
        disabled={isIntrospecting}
        onClick={() => void introspect()}
      >
        Reload the schema
      </button>
    </div>
  );
}

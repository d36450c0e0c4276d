import "./demo.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";

const root = document.getElementById("demo");
if (!root) throw new Error("the page has no #demo element");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

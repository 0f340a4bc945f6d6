// The renderer's entry: connect to the engine (Electron bridge or headless WebSocket), then mount the UI.
import './csp-safe-zod'
import { createRoot } from 'react-dom/client'
import { StrictMode } from 'react'
import { connectFromPage } from './api/client'
import { App } from './App'
import { setClient } from './store/client'
import './styles/app.css'

setClient(connectFromPage())
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)

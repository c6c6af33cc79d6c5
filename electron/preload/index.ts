import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { exposeDesktopApi, type PageWindow } from './bridge.js';

exposeDesktopApi(contextBridge, ipcRenderer, globalThis as unknown as PageWindow, webUtils);

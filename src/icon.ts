import { LabIcon } from '@jupyterlab/ui-components';

// A Bloch sphere: circle, equator and a state vector; jp-icon3 lets the theme recolour it.
const svgstr = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="none" stroke="#616161" stroke-width="1.6">
    <circle cx="12" cy="12" r="9"/>
    <ellipse cx="12" cy="12" rx="9" ry="3.2"/>
    <path d="M12 12 L17 5.5"/>
  </g>
  <circle class="jp-icon3" fill="#616161" cx="17" cy="5.5" r="2"/>
</svg>`;

/** The qrt-lab icon (sidebar tab, palette). */
export const runtimeIcon = new LabIcon({ name: 'qrt-lab:runtime', svgstr });

import { LabIcon } from '@jupyterlab/ui-components';

// A Bloch sphere; jp-icon3 on stroke-only shapes (no fill attribute) lets the theme recolour them.
const svgstr = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g fill="none" stroke-width="1.6">
    <circle class="jp-icon3" stroke="#616161" cx="12" cy="12" r="9"/>
    <ellipse class="jp-icon3" stroke="#616161" cx="12" cy="12" rx="9" ry="3.2"/>
    <path class="jp-icon3" stroke="#616161" d="M12 12 L16.5 6"/>
  </g>
  <circle class="jp-icon3" fill="#616161" cx="16.5" cy="6" r="2.2"/>
</svg>`;

/** The qrt-lab icon (sidebar tab, palette). */
export const runtimeIcon = new LabIcon({ name: 'qrt-lab:runtime', svgstr });

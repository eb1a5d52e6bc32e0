'use strict';
// placeholder

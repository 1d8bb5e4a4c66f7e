/*
 * Maillage — draws the network fragments of maillage.viz.network.render_network with vis-network.
 *
 * Each <div data-maillage-network="DATA-ID"> is drawn from the JSON of <script type="application/json"
 * id="DATA-ID">, at the positions computed on the server, physics off, and framed so the nodes fill the
 * drawing area. Tooltips are plain text (never HTML). A click on a node with a `url` (a same-site path or an
 * http(s) URL) goes there; a double click on the background frames the whole network again.
 *
 * Labels are drawn here, not by vis-network (whose labels pile up on each other): at every redraw, node by
 * node from the biggest (the hovered one first), a label goes under its node, or above it, only where it
 * overlaps no label already drawn and does not hide the centre of a node at least as big. Their size on
 * screen stays the same whatever the zoom, so zooming in makes room and names more actors.
 *
 * For pages and tests: window.maillageNetwork is the vis.Network drawn last (its data:
 * .body.data.nodes / .edges); window.maillageNetworks[id] = {id, network, nodes, edges, shownLabels} for
 * each container, nodes and edges being the vis.DataSets (string titles there are replaced by their
 * plain-text tooltip elements) and shownLabels the labels of the last drawing, [{id, left, top, right,
 * bottom}]: the box of each text, in CSS pixels of the drawing area. Once the first view is final (framed, drawn, labelled),
 * window.maillageNetworkReady becomes true, window.maillageNetworkReadyAt (and the handle's readyAt) holds the
 * time since the navigation started (performance.now(), ms), and the container fires a bubbling
 * "maillage:ready" event.
 * Loading this file twice is harmless: every container is drawn once.
 */
(function () {
  "use strict";

  var ALLOWED_PROTOCOLS = { "http:": true, "https:": true };
  var GRID_CELL = 64; // px: side of the cells of the grids that find collisions among labels and nodes

  function plainTextTooltip(text) {
    var element = document.createElement("div");
    element.className = "maillage-infobulle";
    element.textContent = text;
    return element;
  }

  function withTooltips(items) {
    return items.map(function (item) {
      var copy = Object.assign({}, item);
      if (typeof copy.title === "string" && copy.title !== "") {
        copy.title = plainTextTooltip(copy.title);
      } else {
        delete copy.title;
      }
      return copy;
    });
  }

  function safeHref(url) {
    if (typeof url !== "string" || url === "") {
      return null;
    }
    try {
      var parsed = new URL(url, window.location.href);
      return ALLOWED_PROTOCOLS[parsed.protocol] ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  // A grid of boxes in screen pixels, to find quickly which boxes a new one would touch. Cells are keyed by
  // a number (column and row shifted to be positive), which is much faster than string keys.
  function BoxGrid() {
    this.cells = new Map();
  }

  function cellKey(column, row) {
    return (column + 32768) * 65536 + (row + 32768);
  }

  BoxGrid.prototype.add = function (box) {
    var lastColumn = Math.floor(box.right / GRID_CELL);
    var lastRow = Math.floor(box.bottom / GRID_CELL);
    for (var column = Math.floor(box.left / GRID_CELL); column <= lastColumn; column += 1) {
      for (var row = Math.floor(box.top / GRID_CELL); row <= lastRow; row += 1) {
        var key = cellKey(column, row);
        var list = this.cells.get(key);
        if (list) {
          list.push(box);
        } else {
          this.cells.set(key, [box]);
        }
      }
    }
  };

  // The boxes of the cells that *box* touches (a box spanning several cells may come more than once).
  BoxGrid.prototype.near = function (box, found) {
    found.length = 0;
    var lastColumn = Math.floor(box.right / GRID_CELL);
    var lastRow = Math.floor(box.bottom / GRID_CELL);
    for (var column = Math.floor(box.left / GRID_CELL); column <= lastColumn; column += 1) {
      for (var row = Math.floor(box.top / GRID_CELL); row <= lastRow; row += 1) {
        var list = this.cells.get(cellKey(column, row));
        if (list) {
          for (var index = 0; index < list.length; index += 1) {
            found.push(list[index]);
          }
        }
      }
    }
    return found;
  };

  function boxesOverlap(first, second) {
    return first.left < second.right && second.left < first.right &&
      first.top < second.bottom && second.top < first.bottom;
  }

  // Whether *box* reaches into the disc of radius `fraction × radius` round the centre of *node*.
  function coversCentre(box, node, fraction) {
    var dx = Math.min(Math.max(node.x, box.left), box.right) - node.x;
    var dy = Math.min(Math.max(node.y, box.top), box.bottom) - node.y;
    var reach = node.radius * fraction;
    return dx * dx + dy * dy < reach * reach;
  }

  // Static facts about each label: text, size on screen and order of placement (biggest node first).
  function labelEntries(payloadNodes, style) {
    var smallest = Infinity;
    var largest = -Infinity;
    payloadNodes.forEach(function (node) {
      smallest = Math.min(smallest, node.value);
      largest = Math.max(largest, node.value);
    });
    var entries = [];
    payloadNodes.forEach(function (node, index) {
      if (typeof node.label !== "string" || node.label === "") {
        return;
      }
      var share = largest > smallest ? (node.value - smallest) / (largest - smallest) : 0;
      entries.push({
        id: node.id,
        text: node.label,
        value: node.value,
        index: index,
        pixels: style.minPixels + (style.maxPixels - style.minPixels) * share,
        width: null,
        boldWidth: null
      });
    });
    entries.sort(function (first, second) {
      return second.value - first.value || first.index - second.index;
    });
    return entries;
  }

  function fontOf(entry, bold, style) {
    return (bold ? "bold " : "") + entry.pixels.toFixed(1) + "px " + style.face;
  }

  function textWidth(context, entry, bold, style) {
    var key = bold ? "boldWidth" : "width";
    if (entry[key] === null) {
      context.font = fontOf(entry, bold, style);
      entry[key] = context.measureText(entry.text).width;
    }
    return entry[key];
  }

  // Chooses and draws the labels of one frame; returns the box of each text drawn.
  function drawLabels(context, network, payloadNodes, entries, options) {
    var style = options.style;
    var canvas = context.canvas;
    var width = canvas.clientWidth;
    var height = canvas.clientHeight;
    if (!width || !height) {
      return [];
    }
    var scale = network.getScale();
    var origin = network.canvasToDOM({ x: 0, y: 0 });
    var positions = network.getPositions();
    var nodeGrid = new BoxGrid();
    var screen = new Map();
    payloadNodes.forEach(function (payloadNode) {
      var position = positions[payloadNode.id];
      if (!position) {
        return;
      }
      var radius = payloadNode.value * scale;
      var node = { id: payloadNode.id, x: position.x * scale + origin.x, y: position.y * scale + origin.y,
        radius: radius, value: payloadNode.value };
      screen.set(node.id, node);
      node.left = node.x - radius;
      node.right = node.x + radius;
      node.top = node.y - radius;
      node.bottom = node.y + radius;
      if (node.right >= 0 && node.left <= width && node.bottom >= 0 && node.top <= height) {
        nodeGrid.add(node);
      }
    });

    var ordered = entries;
    if (options.pinned !== null) {
      ordered = entries.filter(function (entry) { return entry.id === options.pinned; })
        .concat(entries.filter(function (entry) { return entry.id !== options.pinned; }));
    }
    var labelGrid = new BoxGrid();
    var chosen = [];
    var found = [];
    var gap = style.gapPixels;
    var spacing = style.spacingPixels;
    var fraction = style.keepClearFraction;
    for (var position = 0; position < ordered.length; position += 1) {
      var entry = ordered[position];
      var node = screen.get(entry.id);
      if (!node || node.x < 0 || node.x > width || node.y < 0 || node.y > height) {
        continue;
      }
      var bold = entry.id === options.pinned;
      var measured = textWidth(context, entry, bold, style);
      var lineHeight = Math.ceil(entry.pixels * 1.25);
      var left = Math.min(Math.max(node.x - measured / 2, gap), width - gap - measured);
      var tops = [node.y + node.radius + gap, node.y - node.radius - gap - lineHeight];
      for (var candidate = 0; candidate < tops.length; candidate += 1) {
        var box = { left: left - spacing, right: left + measured + spacing, top: tops[candidate],
          bottom: tops[candidate] + lineHeight };
        if (box.top < 0 || box.bottom > height || clashes(box, entry, labelGrid, nodeGrid, found, fraction)) {
          continue;
        }
        labelGrid.add(box);
        chosen.push({ entry: entry, box: box, left: left, width: measured, bold: bold });
        break;
      }
    }

    context.save();
    var ratio = canvas.width / width;
    context.setTransform(ratio, 0, 0, ratio, 0, 0); // draw in CSS pixels, whatever the zoom
    context.textAlign = "left";
    context.textBaseline = "middle";
    context.lineJoin = "round";
    context.lineWidth = style.haloPixels;
    context.strokeStyle = style.halo;
    context.fillStyle = style.color;
    chosen.forEach(function (label) {
      context.font = fontOf(label.entry, label.bold, style);
      var middle = (label.box.top + label.box.bottom) / 2;
      context.strokeText(label.entry.text, label.left, middle);
      context.fillText(label.entry.text, label.left, middle);
    });
    context.restore();
    return chosen.map(function (label) {
      return { id: label.entry.id, left: label.left, top: label.box.top, right: label.left + label.width,
        bottom: label.box.bottom };
    });
  }

  // Whether a label in *box* would overlap a label already placed, or hide the centre of another node at
  // least as big as its own.
  function clashes(box, entry, labelGrid, nodeGrid, found, fraction) {
    var index;
    labelGrid.near(box, found);
    for (index = 0; index < found.length; index += 1) {
      if (boxesOverlap(box, found[index])) {
        return true;
      }
    }
    nodeGrid.near(box, found);
    for (index = 0; index < found.length; index += 1) {
      var other = found[index];
      if (other.id !== entry.id && other.value >= entry.value && coversCentre(box, other, fraction)) {
        return true;
      }
    }
    return false;
  }

  // Moves the view so that every node's disc fits in the drawing area with some padding, the labels of the
  // lowest nodes included.
  function frame(network, container, payloadNodes, fit, animate) {
    var width = container.clientWidth;
    var height = container.clientHeight;
    if (!width || !height || payloadNodes.length === 0) {
      return;
    }
    var positions = network.getPositions();
    var minX = Infinity;
    var maxX = -Infinity;
    var minY = Infinity;
    var maxY = -Infinity;
    payloadNodes.forEach(function (node) {
      var position = positions[node.id] || node;
      var radius = node.value || 10;
      minX = Math.min(minX, position.x - radius);
      maxX = Math.max(maxX, position.x + radius);
      minY = Math.min(minY, position.y - radius);
      maxY = Math.max(maxY, position.y + radius);
    });
    var padding = fit.paddingPixels;
    var bottom = padding + fit.labelRoomPixels;
    var zoom = Math.min(
      (width - 2 * padding) / Math.max(maxX - minX, 1),
      (height - padding - bottom) / Math.max(maxY - minY, 1),
      fit.maxZoom
    );
    zoom = Math.max(zoom, 1e-3);
    network.moveTo({
      position: { x: (minX + maxX) / 2, y: (minY + maxY) / 2 + (bottom - padding) / (2 * zoom) },
      scale: zoom,
      animation: animate ? { duration: 300, easingFunction: "easeInOutQuad" } : false
    });
  }

  function draw(container) {
    if (container.hasAttribute("data-maillage-state")) {
      return;
    }
    container.setAttribute("data-maillage-state", "drawing");
    var dataId = container.getAttribute("data-maillage-network");
    var source = document.getElementById(dataId);
    if (!source) {
      throw new Error("maillage-network: no data block with id \"" + dataId + "\" for #" + container.id);
    }
    if (typeof window.vis === "undefined" || typeof window.vis.Network !== "function") {
      throw new Error(
        "maillage-network: vis-network is not loaded; include /static/viz/vendor/vis-network/vis-network.min.js"
      );
    }
    var payload = JSON.parse(source.textContent);
    var display = payload.display;
    var nodes = new window.vis.DataSet(withTooltips(payload.nodes));
    var edges = new window.vis.DataSet(withTooltips(payload.edges));
    var network = new window.vis.Network(container, { nodes: nodes, edges: edges }, payload.options);
    var handle = { id: container.id, network: network, nodes: nodes, edges: edges, shownLabels: [] };
    window.maillageNetworks = window.maillageNetworks || {};
    window.maillageNetworks[container.id] = handle;
    window.maillageNetwork = network;

    var entries = labelEntries(payload.nodes, display.labels);
    var labelOptions = { style: display.labels, pinned: null };
    network.on("afterDrawing", function (context) {
      handle.shownLabels = drawLabels(context, network, payload.nodes, entries, labelOptions);
    });

    // Once the user has moved the view, resizing the window no longer frames the network again.
    var framedByUser = false;
    network.on("dragEnd", function (params) {
      if (params.nodes.length === 0) {
        framedByUser = true;
      }
    });
    network.on("zoom", function () {
      framedByUser = true;
    });
    network.on("resize", function () {
      if (!framedByUser) {
        frame(network, container, payload.nodes, display.fit, false);
      }
    });
    network.on("doubleClick", function (params) {
      if (params.nodes.length === 0) {
        framedByUser = false;
        frame(network, container, payload.nodes, display.fit, true);
      }
    });

    // Keyboard navigation once the drawing is pressed, without scrolling the page (see network.py).
    container.addEventListener("pointerdown", function () {
      var frameElement = container.querySelector(".vis-network");
      if (frameElement && document.activeElement !== frameElement) {
        frameElement.focus({ preventScroll: true });
      }
    });

    network.on("click", function (params) {
      if (params.nodes.length !== 1) {
        return;
      }
      var node = nodes.get(params.nodes[0]);
      var href = node ? safeHref(node.url) : null;
      if (href) {
        window.location.assign(href);
      }
    });

    network.on("hoverNode", function (params) {
      var node = nodes.get(params.node);
      labelOptions.pinned = params.node;
      container.classList.toggle("maillage-reseau__toile--lien", Boolean(node && safeHref(node.url)));
    });
    network.on("blurNode", function () {
      labelOptions.pinned = null;
      container.classList.remove("maillage-reseau__toile--lien");
      network.redraw();
    });

    network.once("afterDrawing", function () {
      container.setAttribute("data-maillage-state", "ready");
      handle.readyAt = window.performance.now();
      window.maillageNetworkReadyAt = handle.readyAt;
      window.maillageNetworkReady = true;
      container.dispatchEvent(new CustomEvent("maillage:ready", { bubbles: true, detail: handle }));
    });
    frame(network, container, payload.nodes, display.fit, false);
  }

  function drawAll() {
    var containers = document.querySelectorAll("[data-maillage-network]");
    for (var index = 0; index < containers.length; index += 1) {
      draw(containers[index]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();

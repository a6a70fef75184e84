^XA
^CI28
^FO40,30^A0N,40,40^FD{{store}}^FS
^FO40,90^A0N,110,110^FD{{shortCode}}^FS
^FO40,220^A0N,34,34^FDorder {{orderId}}  {{bag}}  {{itemCount}} items^FS
^FO40,280^BY3^BCN,160,N,N,N^FD>;>800{{sscc}}^FS
^FO40,460^A0N,30,30^FD(00) {{sscc}}^FS
^XZ
